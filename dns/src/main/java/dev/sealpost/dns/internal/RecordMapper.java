package dev.sealpost.dns.internal;

import dev.sealpost.dns.MxRecord;
import dev.sealpost.dns.TlsaRecord;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Maps dnsjava records of one type to the API's value types; records of other types are skipped. */
public final class RecordMapper {
    private RecordMapper() {}

    /** Each record's character-strings concatenated without separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
    public static String txt(TXTRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : r.getStringsAsByteArrays()) out.writeBytes(part);
        // Leniency: invalid UTF-8 is replaced with U+FFFD rather than failing the whole answer;
        // SPF and DKIM records are ASCII, so a replacement character only ever makes a record invalid.
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    public static List<String> txt(List<Record> records) {
        return map(records, Type.TXT, r -> txt((TXTRecord) r));
    }

    public static List<InetAddress> a(List<Record> records) {
        return map(records, Type.A, r -> ((ARecord) r).getAddress());
    }

    public static List<InetAddress> aaaa(List<Record> records) {
        return map(records, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    /** MX; the null MX "." (RFC 7505) maps to an empty exchange. */
    public static List<MxRecord> mx(List<Record> records) {
        return map(records, Type.MX, r -> new MxRecord(((MXRecord) r).getPriority(), DnsNames.toText(((MXRecord) r).getTarget())));
    }

    public static List<String> ptr(List<Record> records) {
        return map(records, Type.PTR, r -> DnsNames.toText(((PTRRecord) r).getTarget()));
    }

    public static List<String> cname(List<Record> records) {
        return map(records, Type.CNAME, r -> DnsNames.toText(((CNAMERecord) r).getTarget()));
    }

    public static List<TlsaRecord> tlsa(List<Record> records) {
        return map(records, Type.TLSA, r -> {
            TLSARecord t = (TLSARecord) r;
            return new TlsaRecord(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), t.getCertificateAssociationData());
        });
    }

    public static List<byte[]> openpgpkey(List<Record> records) {
        return map(records, Type.OPENPGPKEY, r -> ((org.xbill.DNS.OPENPGPKEYRecord) r).getCert());
    }

    public static List<TlsaRecord> smimea(List<Record> records) {
        return map(records, Type.SMIMEA, r -> {
            org.xbill.DNS.SMIMEARecord t = (org.xbill.DNS.SMIMEARecord) r;
            return new TlsaRecord(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), t.getCertificateAssociationData());
        });
    }

    private static <T> List<T> map(List<Record> records, int type, Function<Record, T> f) {
        List<T> out = new ArrayList<>(records.size());
        for (Record r : records) {
            if (r.getType() == type) out.add(f.apply(r));
        }
        return out;
    }
}
