#!/usr/bin/env python3
"""Regenerate the Annex 5/6 fixtures of tests/unit/check_inventory.c.

The files are committed; this script documents how their bytes were made
(line ends, BOM, Windows-1251) and rebuilds them identically:
    python3 tests/data/inventory/generate.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, text, encoding="utf-8", bom=False, crlf=False):
    if crlf:
        # Record ends become CRLF; a newline inside a quoted cell is
        # written as "\v" in the source below and stays a bare LF.
        text = text.replace("\n", "\r\n")
    text = text.replace("\v", "\n")
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


HW_HEADER_EN = ("item no.;manufacturer, model;serial/inventory no.;"
                "IS certificate no.;physical location;type;"
                "main functional purpose;utilized protection methods;"
                "developer, name, version of integrated software;"
                "network addresses\n")

# A good Annex 5: UTF-8 with BOM, ';', CRLF, the header and the row that
# numbers the columns, quoted cells with ';' and an embedded newline.
write("hardware-good.csv",
      HW_HEADER_EN +
      "1;2;3;4;5;6;7;8;9;10\n"
      '1;Dell PowerEdge R740;SN-0001;;"Server room 1; rack 4";server;'
      'web server;"antivirus; firewall";"Canonical, Ubuntu, 22.04";'
      "127.0.0.1\n"
      '2;Cisco ISR 4331;FDO1234;;Server room 1;router;"edge router\v'
      '(internet uplink)";ACL;Cisco IOS XE 16.9;"127.0.0.2, ::1"\n'
      "3;APC Smart-UPS 1500;UPS-77;;room 2;UPS;power supply;-;-;-\n"
      "4;HP ProLiant DL380;SN-0004;KZ.123;room 2;server;database;;"
      "PostgreSQL 15;10.9.0.5/24 127.0.1.0/24\n",
      bom=True, crlf=True)

# A good Annex 6: UTF-8 without BOM, ',', LF.
write("software-good.csv",
      "No,Developer,Name,Version,Place of installation,Type,Purpose,"
      "Protection\n"
      '1,OpenBSD Project,OpenSSH,9.2p1,"1, 2",remote administration,'
      'remote access,"public key authentication"\n'
      "2,F5 Inc.,nginx,1.22,1,web server,web front end,TLS\n"
      "3,PostgreSQL Global Development Group,PostgreSQL,15.4,4,DBMS,"
      "database,\n")

# Annex 5 as Excel in a Russian locale saves it: Windows-1251, ';', CRLF,
# a Cyrillic header.
write("hardware-cp1251.csv",
      "№ п/п;Производитель, модель;Серийный/инвентарный номер;"
      "Номер сертификата ИБ;Физическое расположение;Тип;"
      "Основное функциональное назначение;"
      "Используемые методы защиты информации;"
      "Разработчик, наименование, версия ПО;Сетевые адреса\n"
      "1;Сервер «Ёлка-2»;ИНВ-№ 0042;—;"
      '"Серверная; стойка 3";сервер;веб-сервер;'
      "антивирус;ОС «Астра»;127.0.0.1\n",
      encoding="cp1251", crlf=True)

# An Annex 5 with one problem or more on most rows (UTF-8, ';', LF).
write("hardware-bad.csv",
      HW_HEADER_EN +
      "1;Dell R740;SN-1;;room 1;server;web;;;127.0.0.1\n"
      "2;Cisco;;;room 1;router;edge;;;10.0.0.300\n"
      "x3;HP;SN-3;;room 2;server;database;;;\n"
      "2;HP;SN-5;;room 2;server;database;;;2001:db8::zz, 192.0.2.0/33\n"
      ";;;;;;;;;\n"
      "6;Juniper EX2300;SN-7;;room 3\n"
      "7;Juniper EX2300;SN-8;;room 3;switch;;;;;;;note\n"
      "8;Juniper EX2300;SN-9;;room 3;switch;access;;;;;;\n")

# An Annex 6 with problems; loaded after hardware-good.csv (items 1-4).
write("software-bad.csv",
      "item;developer;name;version;installed_on;type;purpose;protection\n"
      "1;OpenBSD;OpenSSH;9.2p1;1;remote administration;remote access;\n"
      "2;F5;nginx;;99;web server;web;\n"
      "3;PostgreSQL GDG;PostgreSQL;15;server;DBMS;database;\n"
      "1;X;Y;1.0;1;t;p;\n")

# Not CSV at all: a quote opened on line 3 never closes.
write("hardware-unterminated.csv",
      HW_HEADER_EN +
      "1;Dell;SN-1;;room;server;web;;;127.0.0.1\n"
      '2;"Cisco;SN-2;;room;router;edge;;;127.0.0.2\n'
      "3;HP;SN-3;;room;server;db;;;127.0.0.3\n")

# A title over merged cells, an empty line, the header with stray empty
# cells after it, the column numbers, one row (UTF-8 with BOM, ';', CRLF).
write("hardware-title.csv",
      "Перечень аппаратных средств;;;;;;;;;\n"
      ";;;;;;;;;\n" +
      HW_HEADER_EN.replace("\n", ";;\n") +
      "1;2;3;4;5;6;7;8;9;10\n"
      "1;Dell R740;SN-1;;room 1;server;web;;;127.0.0.1\n",
      bom=True, crlf=True)

# Only a header: no rows, no problems.
write("software-header-only.csv",
      "item;developer;name;version;installed_on;type;purpose;"
      "protection\n")
