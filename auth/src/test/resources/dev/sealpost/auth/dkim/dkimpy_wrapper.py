#!/usr/bin/python3
"""dkimpy wrapper for Sealpost's differential DKIM tests. Never uses the system resolver.

  dkimpy_wrapper.py verify RECORDS MESSAGE... -> one line per message: "pass" or "fail" for each DKIM-Signature, top first
  dkimpy_wrapper.py sign MESSAGE SELECTOR DOMAIN KEYFILE ALGORITHM HEADERCANON BODYCANON
                                              -> prints the DKIM-Signature field (CRLF line ends, no final CRLF)

RECORDS holds "<name> <TXT value>" lines; names are looked up without the trailing dot.
"""
import sys
import dkim


def load_records(path):
    records = {}
    with open(path, "rb") as f:
        for line in f.read().split(b"\n"):
            line = line.strip()
            if not line or line.startswith(b"#"):
                continue
            name, _, value = line.partition(b" ")
            records[name.lower().rstrip(b".")] = value.strip()
    return records


def verify(records, message):
    def dnsfunc(name, timeout=5):
        return records.get(name.lower().rstrip(b"."))

    d = dkim.DKIM(message, minkey=1024)
    count = sum(1 for (k, _) in d.headers if k.lower() == b"dkim-signature")
    out = []
    for idx in range(count):
        try:
            ok = d.verify(idx=idx, dnsfunc=dnsfunc)
        except dkim.DKIMException as e:
            sys.stderr.write("idx %d: %s\n" % (idx, e))
            ok = False
        out.append("pass" if ok else "fail")
    return " ".join(out)


def main():
    mode = sys.argv[1]
    if mode == "verify":
        records = load_records(sys.argv[2])
        for path in sys.argv[3:]:
            with open(path, "rb") as f:
                print(verify(records, f.read()))
    elif mode == "sign":
        with open(sys.argv[2], "rb") as f:
            message = f.read()
        selector, domain, keyfile, alg, hc, bc = [a.encode() for a in sys.argv[3:9]]
        with open(keyfile, "rb") as f:
            key = f.read()
        sig = dkim.sign(message, selector, domain, key, canonicalize=(hc, bc), signature_algorithm=alg)
        sys.stdout.buffer.write(sig.rstrip(b"\r\n"))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
