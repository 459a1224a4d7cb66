#!/usr/bin/python3
"""dkimpy verifier for Sealpost's end-to-end DKIM signing test. Never uses the system resolver.

  dkimpy_verify.py RECORDS MESSAGE -> one word per DKIM-Signature field, top first: "pass" or "fail"
                                      (reasons for failures on stderr)

RECORDS holds "<name> <TXT value>" lines; names are looked up case-insensitively, without the trailing dot.
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


def main():
    records = load_records(sys.argv[1])
    with open(sys.argv[2], "rb") as f:
        message = f.read()

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
    print(" ".join(out))


if __name__ == "__main__":
    main()
