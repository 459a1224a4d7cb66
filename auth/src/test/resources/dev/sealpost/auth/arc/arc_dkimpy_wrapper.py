#!/usr/bin/python3
"""dkimpy wrapper for Sealpost's differential ARC tests. Never uses the system resolver.

  arc_dkimpy_wrapper.py verify RECORDS MESSAGE...
      -> one line per message: the chain validation status (none, pass, fail, or terminated) then the reason
  arc_dkimpy_wrapper.py sign MESSAGE SELECTOR DOMAIN KEYFILE SRVID HEADERS TIMESTAMP STANDARDIZE
      -> the ARC set dkimpy adds (AS, AMS, AAR), each field on its own, separated by a line "--"
         HEADERS is colon-separated; TIMESTAMP "now" for the current time; STANDARDIZE 1 or 0

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


def main():
    mode = sys.argv[1]
    if mode == "verify":
        records = load_records(sys.argv[2])

        def dnsfunc(name, timeout=5):
            return records.get(name.lower().rstrip(b"."))

        for path in sys.argv[3:]:
            with open(path, "rb") as f:
                cv, _, reason = dkim.arc_verify(f.read(), dnsfunc=dnsfunc)
            # dkimpy returns None for a chain whose newest seal says cv=fail ("terminated")
            word = cv.decode() if isinstance(cv, bytes) else "terminated"
            print(word + " " + reason.replace("\n", " "))
    elif mode == "sign":
        with open(sys.argv[2], "rb") as f:
            message = f.read()
        selector, domain = sys.argv[3].encode(), sys.argv[4].encode()
        with open(sys.argv[5], "rb") as f:
            key = f.read()
        srv_id = sys.argv[6].encode()
        headers = sys.argv[7].encode().split(b":")
        timestamp = None if sys.argv[8] == "now" else sys.argv[8]
        standardize = sys.argv[9] == "1"
        fields = dkim.arc_sign(message, selector, domain, key, srv_id, include_headers=headers,
                               timestamp=timestamp, standardize=standardize)
        sys.stdout.buffer.write(b"\n--\n".join(f.rstrip(b"\r\n") for f in fields))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
