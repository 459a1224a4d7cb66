#!/usr/bin/env python3
"""An independent check of a C2SP signed checkpoint, written from the C2SP specs (signed-note,
tlog-checkpoint) on Python's `cryptography` package; used by evidence CheckpointTest and it EvidenceEndToEndTest (one copy, in testkit).

usage: verify_checkpoint.py NOTE_FILE VERIFIER_KEY_FILE
prints "key-hash <hex8>", "origin <o>", "size <n>", "root <hex>" and "OK", or "FAIL <why>" (exit 1).
"""
import base64, hashlib, re, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.exceptions import InvalidSignature

def fail(why):
    print("FAIL " + why)
    sys.exit(1)

note = open(sys.argv[1], "rb").read().decode("utf-8")
vkey = open(sys.argv[2], "rb").read().decode("utf-8").strip()

name, khash, kb64 = vkey.split("+", 2)
kraw = base64.b64decode(kb64, validate=True)
if len(kraw) != 33 or kraw[0] != 1:
    fail("verifier key is not Ed25519")
pub = kraw[1:]
# signed-note: key hash = SHA-256(name || "\n" || 0x01 || public key)[:4]
computed = hashlib.sha256(name.encode() + b"\n" + b"\x01" + pub).digest()[:4]
if computed.hex() != khash:
    fail("key hash %s in the key text, computed %s" % (khash, computed.hex()))
print("key-hash " + computed.hex())

if not note.endswith("\n"):
    fail("note does not end with a newline")
split = note.rfind("\n\n")
text, sigs = note[:split + 1], note[split + 2:-1].split("\n")
ok = False
for line in sigs:
    m = re.fullmatch("\u2014 (\\S+) (\\S+)", line)
    if not m:
        fail("bad signature line %r" % line)
    sig = base64.b64decode(m.group(2), validate=True)
    if m.group(1) == name and sig[:4] == computed:
        try:
            Ed25519PublicKey.from_public_bytes(pub).verify(sig[4:], text.encode("utf-8"))
            ok = True
        except InvalidSignature:
            fail("signature does not verify")
if not ok:
    fail("no signature by the key")

lines = text[:-1].split("\n")
if len(lines) < 3 or not re.fullmatch("0|[1-9][0-9]*", lines[1]):
    fail("not a checkpoint body")
root = base64.b64decode(lines[2], validate=True)
if len(root) != 32:
    fail("root is not 32 bytes")
if lines[0] != name:
    fail("origin is not the key name")
print("origin " + lines[0])
print("size " + lines[1])
print("root " + root.hex())
print("OK")
