#!/usr/bin/env python3
"""Generate checks/tls/tls_suites_table.h: the cipher-suite registry.

Sources:
  tests/lab/tls/iana-suites.txt   our transcription of the IANA "TLS Cipher
                                  Suites" registry (code point and name from
                                  the RFCs) plus the SSL 2.0 CIPHER-KINDs;
  `openssl ciphers -V -stdname`   the local OpenSSL, used only to attach the
                                  OpenSSL name of a suite it knows ("-"
                                  otherwise).
Everything else (key exchange, authentication, cipher, effective strength,
MAC, flags) is derived from the registry name by the rules below.

Usage: gen_suites.py [iana-suites.txt] > checks/tls/tls_suites_table.h
       gen_suites.py --diff OLD.h NEW.h   code points added/removed and
                                          flag sets changed between two
                                          generated tables (behaviour only)
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- input


def read_registry(path):
    """Return [(code tuple, name, source, tags, alias)] from the registry."""
    rows = []
    seen = set()
    with open(path, encoding="ascii") as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) < 3:
                sys.exit("%s:%d: need CODE NAME SOURCE" % (path, lineno))
            code = tuple(int(x, 16) for x in parts[0].split(","))
            if len(code) not in (2, 3) or any(b > 0xFF for b in code):
                sys.exit("%s:%d: bad code point" % (path, lineno))
            if code in seen:
                sys.exit("%s:%d: duplicate code point" % (path, lineno))
            seen.add(code)
            tags = set()
            alias = None
            for t in parts[3:]:
                if t.startswith("as="):
                    alias = t[3:]
                elif t in ("draft", "scsv"):
                    tags.add(t)
                else:
                    sys.exit("%s:%d: unknown tag %r" % (path, lineno, t))
            rows.append((code, parts[1], parts[2], tags, alias))
    return rows


def openssl_names():
    """Map code tuple -> OpenSSL name, from the local `openssl ciphers -V`."""
    names = {}
    specs = ["ALL:COMPLEMENTOFALL:@SECLEVEL=0"]
    for spec in specs:
        for extra in ([], ["-s", "-tls1"], ["-s", "-tls1_2"], ["-s", "-tls1_3"]):
            try:
                out = subprocess.run(
                    ["openssl", "ciphers", "-V", "-stdname"] + extra + [spec],
                    capture_output=True, text=True, timeout=30).stdout
            except (OSError, subprocess.SubprocessError):
                continue
            for line in out.splitlines():
                # 0xC0,0x2F - TLS_ECDHE_..._SHA256 - ECDHE-RSA-AES128-... TLSv1.2 ...
                m = re.match(r"\s*(0x[0-9A-Fa-f]{2}(?:,0x[0-9A-Fa-f]{2})+)"
                             r"\s+-\s+(\S+)\s+-\s+(\S+)", line)
                if m is None:
                    continue
                code = tuple(int(x, 16) for x in m.group(1).split(","))
                names.setdefault(code, (m.group(2), m.group(3)))
    return names

# ---------------------------------------------------------------- rules

# Key-exchange/authentication part of a TLS 1.2-style name:
# token -> (kx, au, ephemeral, anonymous, other_auth)
# kx uses the vocabulary checks/tls*.c compare against: "RSA..." for RSA key
# transport (but "RSAPSK"), "DH..." / "ECDH..." for Diffie-Hellman, exactly
# "ECDH" for ephemeral ECDH and "RSA" for plain RSA key transport.
KXAU = {
    "NULL": ("None", "None", False, False, False),
    "RSA": ("RSA", "RSA", False, False, False),
    "RSA_FIPS": ("RSA", "RSA", False, False, False),
    "DH_DSS": ("DH/DSS", "DH", False, False, False),
    "DH_RSA": ("DH/RSA", "DH", False, False, False),
    "DHE_DSS": ("DH", "DSS", True, False, False),
    "DHE_RSA": ("DH", "RSA", True, False, False),
    "DH_anon": ("DH", "None", True, True, False),
    "ECDH_ECDSA": ("ECDH/ECDSA", "ECDH", False, False, False),
    "ECDH_RSA": ("ECDH/RSA", "ECDH", False, False, False),
    "ECDHE_ECDSA": ("ECDH", "ECDSA", True, False, False),
    "ECDHE_RSA": ("ECDH", "RSA", True, False, False),
    "ECDH_anon": ("ECDH", "None", True, True, False),
    "KRB5": ("KRB5", "KRB5", False, False, True),
    "PSK": ("PSK", "PSK", False, False, True),
    "DHE_PSK": ("DHEPSK", "PSK", True, False, True),
    "PSK_DHE": ("DHEPSK", "PSK", True, False, True),
    "RSA_PSK": ("RSAPSK", "RSA", False, False, True),
    "ECDHE_PSK": ("ECDHEPSK", "PSK", True, False, True),
    # SRP (RFC 5054): fresh secret exponents a and b in every handshake.
    "SRP_SHA": ("SRP", "SRP", True, False, True),
    "SRP_SHA_RSA": ("SRP", "RSA", True, False, True),
    "SRP_SHA_DSS": ("SRP", "DSS", True, False, True),
    # ECCPWD (RFC 8492): password-authenticated, ephemeral scalars.
    "ECCPWD": ("ECCPWD", "ECCPWD", True, False, True),
    "FORTEZZA_KEA": ("KEA", "FZA", False, False, False),
    # CECPQ1: ephemeral X25519 combined with ephemeral NewHope.
    "CECPQ1_RSA": ("CECPQ1", "RSA", True, False, False),
    "CECPQ1_ECDSA": ("CECPQ1", "ECDSA", True, False, False),
    # GOST: the client's key is ephemeral, the server's is its certificate
    # key (VKO key agreement against a static key): no forward secrecy.
    "GOSTR341094": ("GOST", "GOST94", False, False, False),
    "GOSTR341001": ("GOST", "GOST01", False, False, False),
    "GOSTR341112_256": ("GOST", "GOST12", False, False, False),
}

# Export variants: the RSA/DH modulus limit is part of the kx string.
EXPORT_KX = {"RSA": "RSA(512)", "DH": "DH(512)"}
EXPORT1024_KX = {"RSA": "RSA(1024)", "DH": "DH(1024)"}

# Bulk ciphers: regex on the cipher part -> (enc format, key bits, effective
# bits, family flags).  "{k}" is replaced by the key size from the name.
CIPHERS = [
    (r"NULL", "None", 0, 0, {"null"}),
    (r"RC4_(\d+)", "RC4({k})", None, None, {"rc4"}),
    (r"RC2_CBC_(\d+)", "RC2({k})", None, None, {"b64", "cbc"}),
    (r"IDEA_CBC", "IDEA(128)", 128, 128, {"b64", "cbc"}),
    (r"DES40_CBC", "DES(40)", 40, 40, {"des", "b64", "cbc"}),
    (r"DES_CBC_40", "DES(40)", 40, 40, {"des", "b64", "cbc"}),
    (r"DES_CBC", "DES(56)", 56, 56, {"des", "b64", "cbc"}),
    # Two-key meet-in-the-middle: 3DES gives 112 bits of strength.
    (r"3DES_EDE_CBC", "3DES(168)", 168, 112, {"3des", "b64", "cbc"}),
    # Skipjack: 80-bit key, 64-bit block.
    (r"FORTEZZA_CBC", "FZA(80)", 80, 80, {"b64", "cbc"}),
    (r"SEED_CBC", "SEED(128)", 128, 128, {"cbc"}),
    (r"AES_(\d+)_CBC", "AES({k})", None, None, {"cbc"}),
    (r"AES_(\d+)_GCM", "AESGCM({k})", None, None, {"aead"}),
    (r"AES_(\d+)_CCM_8", "AESCCM8({k})", None, None, {"aead"}),
    (r"AES_(\d+)_CCM", "AESCCM({k})", None, None, {"aead"}),
    (r"CAMELLIA_(\d+)_CBC", "Camellia({k})", None, None, {"cbc"}),
    (r"CAMELLIA_(\d+)_GCM", "CamelliaGCM({k})", None, None, {"aead"}),
    (r"ARIA_(\d+)_CBC", "ARIA({k})", None, None, {"cbc"}),
    (r"ARIA_(\d+)_GCM", "ARIAGCM({k})", None, None, {"aead"}),
    (r"CHACHA20_POLY1305", "CHACHA20/POLY1305(256)", 256, 256, {"aead"}),
    (r"AEGIS_256", "AEGIS256(256)", 256, 256, {"aead"}),
    (r"AEGIS_128L", "AEGIS128L(128)", 128, 128, {"aead"}),
    (r"SM4_GCM", "SM4GCM(128)", 128, 128, {"aead"}),
    (r"SM4_CCM", "SM4CCM(128)", 128, 128, {"aead"}),
    # GOST R 34.12-2015 Kuznyechik (128-bit block) and Magma / GOST 28147-89
    # (64-bit block), all with 256-bit keys.
    (r"KUZNYECHIK_CTR", "Kuznyechik-CTR(256)", 256, 256, {"gost"}),
    (r"MAGMA_CTR", "Magma-CTR(256)", 256, 256, {"gost", "b64"}),
    (r"28147_CNT", "GOST28147-CNT(256)", 256, 256, {"gost", "b64"}),
    (r"KUZNYECHIK_MGM_[LS]", "Kuznyechik-MGM(256)", 256, 256,
     {"gost", "aead"}),
    (r"MAGMA_MGM_[LS]", "Magma-MGM(256)", 256, 256, {"gost", "aead", "b64"}),
]

MACS = {
    "MD5": "MD5", "SHA": "SHA1", "SHA256": "SHA256", "SHA384": "SHA384",
    "OMAC": "OMAC", "IMIT": "GOST89", "GOSTR3411": "GOST94", "NULL": "None",
}


def cipher_info(text):
    """(enc, bits, family set) for a cipher part such as AES_128_GCM."""
    for rx, fmt, keybits, eff, fam in CIPHERS:
        m = re.fullmatch(rx, text)
        if m is None:
            continue
        if keybits is None:
            keybits = int(m.group(1))
            eff = keybits
        return fmt.replace("{k}", str(keybits)), eff, set(fam)
    sys.exit("gen_suites.py: unknown cipher %r" % text)


def split_cipher_mac(rest):
    """Split the part after _WITH_ into the cipher and the MAC."""
    if rest.endswith("_OLD"):
        rest = rest[:-4]
    # AEAD suites named without a MAC (RFC 6655/7251 CCM): AES_128_CCM[_8].
    if re.fullmatch(r"AES_\d+_CCM(_8)?", rest):
        return rest, None
    # GOST 28147 counter mode with its IMIT MAC.
    if rest.endswith("_CNT_IMIT"):
        return rest[:-5], "IMIT"
    # RFC 9367 names: cipher only.
    if re.search(r"_MGM_[LS]$", rest):
        return rest, None
    cipher, _, mac = rest.rpartition("_")
    if mac not in MACS:
        sys.exit("gen_suites.py: unknown MAC in %r" % rest)
    return cipher, mac


def derive_ssl2(name):
    """SSL 2.0 CIPHER-KIND: SSL_CK_<cipher>[_EXPORT40]_WITH_<MD5|SHA>[_n]."""
    if name == "SSL_CK_NULL":  # SSLeay: no cipher, no MAC
        name = "SSL_CK_NULL_WITH_NULL"
    m = re.fullmatch(r"SSL_CK_(\w+?)(_EXPORT40)?_WITH_(MD5|SHA|NULL)(_\d)?",
                     name)
    if m is None:
        sys.exit("gen_suites.py: bad SSLv2 name %r" % name)
    ciph, export, mac = m.group(1), m.group(2) is not None, m.group(3)
    table = {
        "NULL": ("None", 0, {"null"}),
        "RC4_128": ("RC4", 128, {"rc4"}),
        "RC4_64": ("RC4", 64, {"rc4"}),
        "RC2_128_CBC": ("RC2", 128, {"b64", "cbc"}),
        "IDEA_128_CBC": ("IDEA", 128, {"b64", "cbc"}),
        "DES_64_CBC": ("DES", 56, {"des", "b64", "cbc"}),
        "DES_64_CFB64": ("DES", 56, {"des", "b64"}),
        "DES_192_EDE3_CBC": ("3DES", 168, {"3des", "b64", "cbc"}),
    }
    if ciph not in table:
        sys.exit("gen_suites.py: unknown SSLv2 cipher %r" % name)
    alg, keybits, fam = table[ciph]
    if export:
        # 128-bit key of which 88 bits are sent in clear: 40 secret bits.
        keybits = 40
    eff = 112 if alg == "3DES" else keybits
    enc = "None" if alg == "None" else "%s(%d)" % (alg, keybits)
    return {
        "kx": "RSA(512)" if export else "RSA", "au": "RSA",
        "enc": enc, "bits": eff, "mac": MACS[mac],
        "fam": fam, "export": export, "eph": False, "anon": False,
        "other": False, "tls13": False, "md5": mac == "MD5",
    }


def derive(name):
    """Attributes of a TLS / SSL 3.0 suite from its registry name."""
    m = re.fullmatch(r"(?:TLS|SSL)_(\w+?)_WITH_(\w+)", name)
    if m is None:
        # TLS 1.3 style: TLS_<AEAD>_<HASH>, RFC 9150 TLS_<HASH>_<HASH>.
        m = re.fullmatch(r"TLS_(\w+)_(SHA256|SHA384|SHA512|SM3)", name)
        if m is None:
            sys.exit("gen_suites.py: cannot parse %r" % name)
        ciph = m.group(1)
        if ciph in ("SHA256", "SHA384"):
            enc, bits, fam, mac = "None", 0, {"null"}, m.group(2)
        else:
            enc, bits, fam = cipher_info(ciph)
            mac = "AEAD"
        return {
            "kx": "any", "au": "any", "enc": enc, "bits": bits, "mac": mac,
            "fam": fam, "export": False, "eph": True, "anon": False,
            "other": False, "tls13": True, "md5": False,
        }
    kxau, rest = m.group(1), m.group(2)
    export = export1024 = False
    # RFC 2712 puts EXPORT after KRB5; RFC 2246 after the whole kx/au part.
    mm = re.fullmatch(r"(\w+?)_EXPORT(1024)?", kxau)
    if mm is not None:
        kxau = mm.group(1)
        export = True
        export1024 = mm.group(2) is not None
    if kxau not in KXAU:
        sys.exit("gen_suites.py: unknown key exchange in %r" % name)
    kx, au, eph, anon, other = KXAU[kxau]
    if export:
        tbl = EXPORT1024_KX if export1024 else EXPORT_KX
        kx = tbl.get(kx, kx)
    cipher, mac = split_cipher_mac(rest)
    enc, bits, fam = cipher_info(cipher)
    # RFC 9367 (TLS 1.3 GOST): TLS_GOSTR341112_256_WITH_<cipher>_MGM_<L|S>.
    tls13 = bool(re.search(r"_MGM_[LS]$", rest))
    if tls13:
        kx = au = "any"
        eph, other = True, False
    if "aead" in fam or mac is None:
        macname = "AEAD"
    else:
        macname = MACS[mac]
    return {
        "kx": kx, "au": au, "enc": enc, "bits": bits, "mac": macname,
        "fam": fam, "export": export, "eph": eph, "anon": anon,
        "other": other, "tls13": tls13, "md5": mac == "MD5",
    }


def flags_of(a, ssl2, draft, gost):
    f = []
    fam = a["fam"]
    if "null" in fam:
        f.append("TLS_SF_NULL")
    if a["anon"]:
        f.append("TLS_SF_ANON")
    if a["export"]:
        f.append("TLS_SF_EXPORT")
    if "rc4" in fam:
        f.append("TLS_SF_RC4")
    if "des" in fam:
        f.append("TLS_SF_DES")
    if "3des" in fam:
        f.append("TLS_SF_3DES")
    if "b64" in fam:
        f.append("TLS_SF_BLOCK64")
    if "cbc" in fam:
        f.append("TLS_SF_CBC")
    if "aead" in fam:
        f.append("TLS_SF_AEAD")
    if gost:
        f.append("TLS_SF_GOST")
    if a["md5"]:
        f.append("TLS_SF_MD5")
    # Forward secrecy: an ephemeral key exchange that also authenticates the
    # peer (anonymous DH is ephemeral but protects nothing).
    if a["eph"] and not a["anon"]:
        f.append("TLS_SF_FS")
    if a["other"]:
        f.append("TLS_SF_OTHER_AUTH")
    if a["tls13"]:
        f.append("TLS_SF_TLS13")
    if ssl2:
        f.append("TLS_SF_SSL2")
    if draft:
        f.append("TLS_SF_DRAFT")
    return " | ".join(f) if f else "0"


def c_str(s):
    if not re.fullmatch(r"[A-Za-z0-9_./()+-]+", s):
        sys.exit("gen_suites.py: unexpected character in %r" % s)
    return '"%s"' % s


def table_flags(path):
    """code -> set of TLS_SF_* names, from a generated table."""
    d = {}
    with open(path, encoding="ascii") as f:
        for line in f:
            m = re.match(r"\{(0x[0-9a-f]+),.*,\s*([A-Z_0-9| ]+)\},\s*$", line)
            if m is not None:
                fl = {x.strip() for x in m.group(2).split("|")} - {"0"}
                d[int(m.group(1), 16)] = fl
    return d


def diff_tables(old_path, new_path):
    old, new = table_flags(old_path), table_flags(new_path)
    print("old %d suites, new %d suites" % (len(old), len(new)))
    for c in sorted(set(old) - set(new)):
        print("removed %07x %s" % (c, " ".join(sorted(old[c]))))
    for c in sorted(set(new) - set(old)):
        print("added   %07x %s" % (c, " ".join(sorted(new[c]))))
    for c in sorted(set(old) & set(new)):
        if old[c] != new[c]:
            print("changed %07x -[%s] +[%s]" % (
                c, " ".join(sorted(old[c] - new[c])),
                " ".join(sorted(new[c] - old[c]))))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--diff":
        diff_tables(sys.argv[2], sys.argv[3])
        return
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        HERE, "iana-suites.txt")
    reg = read_registry(path)
    ossl = openssl_names()
    if not ossl:
        sys.stderr.write("gen_suites.py: warning: no names from the local "
                         "`openssl ciphers`; every OpenSSL name is \"-\"\n")
    out = []
    for code, name, _src, tags, alias in reg:
        if "scsv" in tags or name.endswith("_SCSV"):
            continue  # signalling values are sent by the probes themselves
        ssl2 = len(code) == 3
        if ssl2:
            a = derive_ssl2(name)
            value = 0x1000000 | (code[0] << 16) | (code[1] << 8) | code[2]
        else:
            a = derive(alias or name)
            value = (code[0] << 8) | code[1]
        oname = "-"
        if code in ossl:
            std, on = ossl[code]
            if std != name and std != "n/a":
                sys.exit("gen_suites.py: %s: registry says %s, OpenSSL says %s"
                         % (",".join("0x%02X" % b for b in code), name, std))
            oname = on
        desc = alias or name
        gost = "GOST" in desc or "KUZNYECHIK" in desc or "MAGMA" in desc
        fl = flags_of(a, ssl2, "draft" in tags, gost)
        out.append((value, name, oname, a, fl))
    out.sort(key=lambda r: r[0])
    w = sys.stdout.write
    w("/* Generated by tests/lab/tls/gen_suites.py from "
      "tests/lab/tls/iana-suites.txt\n"
      " * (IANA registry, RFCs) and the local OpenSSL's names; "
      "do not edit. */\n")
    w("/* code, IANA name, OpenSSL name, kx, auth, enc, bits, mac, flags */\n")
    for value, name, oname, a, fl in out:
        w("{0x%07x, %s, %s, %s, %s, %s, %d, %s, %s},\n" % (
            value, c_str(name), c_str(oname), c_str(a["kx"]), c_str(a["au"]),
            c_str(a["enc"]), a["bits"], c_str(a["mac"]), fl))


main()
