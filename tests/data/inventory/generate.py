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

# Annexes 5 and 6 in the official form as Excel in a Russian locale saves
# them ("CSV (разделители - точки с запятой)"): Windows-1251, ';', CRLF,
# the annex and title rows above, a blank row, a two-row header (the
# software column group in the first row, its sub-columns in the second),
# the row that numbers the columns, a row continued over merged cells, a
# merged (empty) cell under its first row, free-text addresses with a
# port, a label, an interface, a host name and a word, and a note and a
# signature line under the table.
write("hardware-official-cp1251.csv",
      "Приложение 5;;;;;;;;;\n"
      "Перечень технических средств;;;;;;;;;\n"
      ";;;;;;;;;\n"
      "№ п/п;Производитель, модель;Серийный/инвентарный номер;"
      "Номер сертификата информационной безопасности (при наличии);"
      "Физическое местоположение;Тип (согласно технической документации);"
      "Основное функциональное назначение (согласно технической "
      "документации);Используемые методы защиты информации;"
      "Сведения о программном обеспечении;\n"
      ";;;;;;;;Разработчик, наименование, версия (интегрированного "
      "программного обеспечения);IP-адреса\n"
      "1;2;3;4;5;6;7;8;9;10\n"
      '1;Dell PowerEdge R750;ИНВ-0001;;"Серверная; стойка 2";сервер;'
      "веб-сервер;межсетевой экран;Debian GNU/Linux 12;"
      "IP: 127.0.0.1 (eth0)\n"
      ";;;;;;;;;127.0.0.2:5432\n"
      "2;HP ProLiant DL380;ИНВ-0002;;Серверная;сервер;;антивирус;"
      "Astra Linux 1.7;10.0.0.300, db.rlp.test\n"
      ";;;;;;;;;\n"
      "3;Cisco ASA 5506;ИНВ-0003;;Серверная;межсетевой экран;"
      "защита периметра;;;127.0.0.3 (основной)\n"
      "Примечание: адреса указаны во внутренней сети;;;;;;;;;\n"
      "Руководитель;;;;Иванов И.И.;;;;;\n",
      encoding="cp1251", crlf=True)

write("software-official-cp1251.csv",
      "Перечень программного обеспечения;;;;;;;\n"
      "№ п/п;Разработчик;Наименование;Версия;"
      "Место установки (из перечня технических средств);"
      "Тип (согласно программной документации);"
      "Основное функциональное назначение (согласно программной "
      "документации);Используемые методы защиты информации\n"
      "1;2;3;4;5;6;7;8\n"
      "1;F5 Inc.;nginx;nginx 1.22.1;1;веб-сервер;веб-интерфейс;TLS\n"
      "2;OpenBSD Project;OpenSSH;1:9.2p1-2+deb12u3;1;"
      "средство удалённого администрирования;администрирование;"
      "аутентификация по ключу\n"
      "3;PostgreSQL Global Development Group;PostgreSQL;15.x;;СУБД;"
      "хранение данных;\n"
      "4;Postfix;Postfix;3.7;1, 5;почтовый сервер;уведомления;STARTTLS\n",
      encoding="cp1251", crlf=True)

# Annex 5 as an applicant moved its columns about before exporting it
# (Windows-1251, ';', CRLF): the annex, title and object rows, a blank
# row, a two-row header in Russian with the serial number before the
# model, the addresses third, the certificate number last and a column
# the form does not have ("Ответственное лицо"), the row of the form's
# column numbers in the new order, a blank row between the rows and a
# note under the table.
write("hardware-reordered-cp1251.csv",
      "Приложение 5;;;;;;;;;;\n"
      "Перечень технических средств;;;;;;;;;;\n"
      "Информационная система «Тест»;;;;;;;;;;\n"
      ";;;;;;;;;;\n"
      "№ п/п;Серийный/инвентарный номер;Производитель, модель;IP-адреса;"
      "Ответственное лицо;Физическое местоположение;"
      "Тип (согласно технической документации);"
      "Основное функциональное назначение (согласно технической "
      "документации);Используемые методы защиты информации;"
      "Сведения о программном обеспечении;"
      "Номер сертификата информационной безопасности (при наличии)\n"
      ";;;;;;;;;Разработчик, наименование, версия (интегрированного "
      "программного обеспечения);\n"
      "1;3;2;10;;5;6;7;8;9;4\n"
      "1;ИНВ-0101;Dell PowerEdge R650;127.0.0.1, 127.0.0.2;Иванов И.И.;"
      "Серверная;сервер;веб-сервер;межсетевой экран;Debian GNU/Linux 12;"
      "KZ.02.123\n"
      "2;ИНВ-0102;Cisco Catalyst 9200;10.0.0.999;Петров П.П.;Серверная;"
      "коммутатор;коммутация;ACL;Cisco IOS XE 17.9;\n"
      ";;;;;;;;;;\n"
      "3;ИНВ-0103;APC Smart-UPS 1500;;;;ИБП;электропитание;;;\n"
      "Примечание: ответственные лица указаны для сведения;;;;;;;;;;\n",
      encoding="cp1251", crlf=True)

# Annex 6 with the name before the developer and no version column (a
# mandatory one): Windows-1251, ';', CRLF.
write("software-missing-cp1251.csv",
      "Перечень программного обеспечения;;;;;;\n"
      "№ п/п;Наименование;Разработчик;"
      "Место установки (из перечня технических средств);"
      "Тип (согласно программной документации);"
      "Основное функциональное назначение (согласно программной "
      "документации);Используемые методы защиты информации\n"
      "1;3;2;5;6;7;8\n"
      "1;nginx;F5 Inc.;1;веб-сервер;веб-интерфейс;TLS\n",
      encoding="cp1251", crlf=True)

# Annex 6 in Kazakh with the name before the developer (UTF-8, ';', LF).
write("software-kk-reordered.csv",
      "Бағдарламалық қамтылымның тізбесі;;;;;;;\n"
      "Р/с №;Атауы;Әзірлеуші;Нұсқасы;"
      "Орнату орны (техникалық құралдар тізбесінен);"
      "Түрі (бағдарламалық құжаттамаға сәйкес);"
      "Негізгі функционалдық мақсаты (бағдарламалық құжаттамаға сәйкес);"
      "Ақпаратты қорғаудың қолданылатын әдістері\n"
      "1;3;2;4;5;6;7;8\n"
      "1;nginx;F5 Inc.;1.22.1;1;веб-сервер;веб-интерфейс;TLS\n"
      "2;OpenSSH;OpenBSD Project;9.2p1;1;қашықтан басқару;әкімшілендіру;"
      "кілт бойынша аутентификация\n")

# Annex 5 rows with no header at all (UTF-8, ';', LF): read by position.
write("hardware-noheader.csv",
      "1;Dell R740;SN-1;;room 1;server;web;;;127.0.0.1\n"
      "2;Cisco ISR;SN-2;;room 1;router;edge;;;127.0.0.2\n")

# Annex 5 with its columns by title and a column without a title (the
# fourth) that holds text on the second row (UTF-8, ';', LF).
write("hardware-untitled.csv",
      "item no.;manufacturer, model;serial/inventory no.;;"
      "physical location;type;main functional purpose;network addresses\n"
      "1;Dell R740;SN-1;;room 1;server;web;127.0.0.1\n"
      "2;Cisco ISR;SN-2;stray text;room 1;router;edge;127.0.0.2\n")
