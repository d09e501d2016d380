#!/usr/bin/env python3
"""Generate checks/tls_suites_table.h: the cipher-suite registry.

Input: a whitespace table of "code - openssl-name iana-name proto Kx= Au=
Enc= Mac= [export]" rows (the layout of the cipher-mapping file shipped with
testssl.sh, used here only as a list of IANA facts: code point, name, key
exchange, authentication, cipher, MAC).  Flags are derived by our own rules
below; the GOST suites of RFC 9189 and RFC 9367 are added by hand.
Usage: gen_suites.py /etc/testssl/cipher-mapping.txt > checks/tls_suites_table.h
"""
import re
import sys

EXTRA = [
    # RFC 9189 (TLS 1.2 GOST)
    ("0xC1,0x00", "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", "TLSv1.2", "GOST", "GOST12", "Kuznyechik-CTR(256)", "OMAC", ""),
    ("0xC1,0x01", "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC", "TLSv1.2", "GOST", "GOST12", "Magma-CTR(256)", "OMAC", ""),
    ("0xC1,0x02", "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT", "TLSv1.2", "GOST", "GOST12", "GOST28147-CNT(256)", "GOST89IMIT", ""),
    # RFC 9367 (TLS 1.3 GOST)
    ("0xC1,0x03", "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L", "TLSv1.3", "any", "any", "Kuznyechik-MGM(256)", "AEAD", ""),
    ("0xC1,0x04", "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L", "TLSv1.3", "any", "any", "Magma-MGM(256)", "AEAD", ""),
    ("0xC1,0x05", "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S", "TLSv1.3", "any", "any", "Kuznyechik-MGM(256)", "AEAD", ""),
    ("0xC1,0x06", "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S", "TLSv1.3", "any", "any", "Magma-MGM(256)", "AEAD", ""),
    # RFC 8998 SM suites and TLS 1.3 CCM
    ("0x13,0x04", "TLS_AES_128_CCM_SHA256", "TLSv1.3", "any", "any", "AESCCM(128)", "AEAD", ""),
    ("0x13,0x05", "TLS_AES_128_CCM_8_SHA256", "TLSv1.3", "any", "any", "AESCCM8(128)", "AEAD", ""),
]


def flags_for(code, iana, ossl, proto, kx, au, enc, mac, export):
    f = []
    n = iana.upper() + " " + ossl.upper()
    encu = enc.upper()
    if encu.startswith("NONE"):
        f.append("TLS_SF_NULL")
    if au.upper() == "NONE" and kx.upper() not in ("NONE",) and "PSK" not in kx.upper() and "SRP" not in kx.upper() or "_ANON_" in n or "ADH" in ossl or "AECDH" in ossl:
        f.append("TLS_SF_ANON")
    if export or "EXPORT" in n or ossl.startswith("EXP"):
        f.append("TLS_SF_EXPORT")
    if encu.startswith("RC4"):
        f.append("TLS_SF_RC4")
    if encu.startswith("DES("):
        f.append("TLS_SF_DES")
    if encu.startswith("3DES"):
        f.append("TLS_SF_3DES")
    if encu.startswith(("3DES", "DES(", "IDEA", "RC2", "GOST(")) or "MAGMA_CTR" in n or "28147" in n:
        f.append("TLS_SF_BLOCK64")
    aead = mac.upper() == "AEAD" or "GCM" in encu or "CCM" in encu or "CHACHA" in encu or "MGM" in encu
    if aead:
        f.append("TLS_SF_AEAD")
    elif "_CBC" in iana.upper() or "CBC" in ossl.upper() or encu.startswith(("AES(", "CAMELLIA(", "ARIA(", "SEED", "IDEA", "3DES", "DES(", "RC2")):
        f.append("TLS_SF_CBC")
    if "GOST" in n or "KUZNYECHIK" in n or "MAGMA" in n:
        f.append("TLS_SF_GOST")
    if mac.upper() == "MD5" or iana.upper().endswith("_MD5"):
        f.append("TLS_SF_MD5")
    if "_DHE_" in iana or "_ECDHE_" in iana or "DHE_" in iana.split("_WITH_")[0] or proto == "TLSv1.3" \
            or (iana == "-" and (ossl.startswith(("DHE-", "ECDHE-", "EDH-")))):
        if "TLS_SF_ANON" not in f:
            f.append("TLS_SF_FS")
    if "PSK" in kx.upper() or "SRP" in kx.upper() or "KRB5" in kx.upper() or "PSK" in n:
        f.append("TLS_SF_OTHER_AUTH")
    if proto == "TLSv1.3":
        f.append("TLS_SF_TLS13")
    if proto == "SSLv2":
        f.append("TLS_SF_SSL2")
    if "_OLD" in iana or "CECPQ1" in kx:
        f.append("TLS_SF_DRAFT")
    return " | ".join(f) if f else "0"


def bits_of(enc):
    m = re.search(r"\((\d+)\)", enc)
    b = int(m.group(1)) if m else 0
    if enc.upper().startswith("3DES"):
        b = 112
    return b


def main():
    rows = {}
    for line in open(sys.argv[1]):
        parts = line.split()
        if len(parts) < 9 or parts[1] != "-":
            continue
        code, ossl, iana, proto = parts[0], parts[2], parts[3], parts[4]
        kx = parts[5].split("=", 1)[1]
        au = parts[6].split("=", 1)[1]
        enc = parts[7].split("=", 1)[1]
        mac = parts[8].split("=", 1)[1]
        export = len(parts) > 9 and parts[9] == "export"
        rows[code] = (code, iana, ossl, proto, kx, au, enc, mac, export)
    for code, iana, proto, kx, au, enc, mac, ex in EXTRA:
        if code not in rows:
            rows[code] = (code, iana, "-", proto, kx, au, enc, mac, False)
    out = []
    for code, iana, ossl, proto, kx, au, enc, mac, export in rows.values():
        b = [int(x, 16) for x in code.split(",")]
        v = 0
        for x in b:
            v = (v << 8) | x
        if len(b) == 3:
            v |= 0x1000000  # SSLv2 cipher specs live in their own space
        name = iana if iana != "-" else ossl
        fl = flags_for(code, iana, ossl, proto, kx, au, enc, mac, export)
        out.append((v, name, ossl, kx, au, enc, bits_of(enc), mac, fl))
    out.sort()
    print("/* Generated by tests/lab/tls/gen_suites.py; do not edit. */")
    print("/* code, IANA name, OpenSSL name, kx, auth, enc, bits, mac, flags */")
    for v, name, ossl, kx, au, enc, bits, mac, fl in out:
        print('{0x%07x, "%s", "%s", "%s", "%s", "%s", %d, "%s", %s},' %
              (v, name, ossl, kx, au, enc, bits, mac, fl))


main()
