/*
 * certexam — the titles of the 16 documents of Annex 3 of the Rules (the
 * List of technical documentation on information security) in English,
 * Kazakh and Russian.  The Kazakh and Russian titles are those the base
 * catalogue of requirements quotes (profiles/rules-298/requirements.xml,
 * DOC-01..16).  A document of object.xml without its own <title> gets
 * these, as a text given in three languages (English the default).
 */
#include <stddef.h>

#include "certexam/object.h"
#include "object_exam.h"

/* Annex 3: List of technical documentation on information security. */
static const char *const annex3_en[16] = {
    "Information Security Policy",
    "Information Security Risk Assessment Methodology",
    "Rules for the identification, classification and marking of assets "
    "related to the information processing facilities",
    "Rules for ensuring the continuous operation of assets related to "
    "information processing facilities",
    "Rules for inventory and passportization of computer equipment, "
    "telecommunications equipment and software",
    "Rules for internal audit of information security",
    "Rules for the use of cryptographic means of information protection "
    "in the object of certification",
    "Rules for differentiation of access rights to electronic resources "
    "of the object of certification",
    "Rules for using the Internet and e-mail",
    "Rules for organizing the authentication procedure",
    "Rules for organizing the antivirus control",
    "Rules for using mobile devices and storage media",
    "Rules for organizing physical protection of information processing "
    "facilities and a safe environment for the functioning of information "
    "resources of the object of certification",
    "Administrator manual on support of the object of certification",
    "Regulation on information backup and recovery of the object of "
    "certification",
    "Instructions on the procedure for users to respond to information "
    "security incidents and in emergency (crisis) situations",
};

static const char *const annex3_kk[16] = {
    "Ақпараттық қауіпсіздік саясаты",
    "Ақпараттық қауіпсіздік тәуекелдерін бағалау әдістемесі",
    "Ақпаратты өңдеу құралдарымен байланысты активтерді сәйкестендіру, жіктеу "
    "және таңбалау қағидалары",
    "Ақпаратты өңдеу құралдарымен байланысты активтердің үздіксіз жұмысын "
    "қамтамасыз ету қағидалары",
    "Есептеу техникасы құралдарын, телекоммуникациялық жабдықты және "
    "бағдарламалық қамтылымды түгендеу және паспорттау қағидалары",
    "Ақпараттық қауіпсіздіктің ішкі аудитін жүргізу қағидалары",
    "Аттестаттау объектісінде ақпаратты криптографиялық қорғау құралдарын "
    "пайдалану қағидалары",
    "Аттестаттау объектісінің электрондық ресурстарына қол жеткізу құқықтарын "
    "саралау қағидалары",
    "Интернет желісін және электрондық поштаны пайдалану қағидалары",
    "Аутентификация рәсімін ұйымдастыру қағидалары",
    "Вирусқа қарсы бақылауды ұйымдастыру қағидалары",
    "Мобильді құрылғыларды және ақпарат жеткізгіштерді пайдалану қағидалары",
    "Ақпаратты өңдеу құралдарын физикалық қорғауды және аттестаттау "
    "объектісінің ақпараттық ресурстары жұмыс істейтін қауіпсіз ортаны "
    "ұйымдастыру қағидалары",
    "Аттестаттау объектісін сүйемелдеу жөніндегі әкімші нұсқаулығы",
    "Аттестаттау объектісінің ақпаратын сақтық көшірмелеу және қалпына келтіру "
    "регламенті",
    "Пайдаланушылардың ақпараттық қауіпсіздік инциденттеріне ден қою және "
    "штаттан тыс (дағдарыстық) жағдайлардағы іс-қимыл тәртібі туралы нұсқаулық",
};

static const char *const annex3_ru[16] = {
    "Политика информационной безопасности",
    "Методика оценки рисков информационной безопасности",
    "Правила идентификации, классификации и маркировки активов, связанных со "
    "средствами обработки информации",
    "Правила по обеспечению непрерывной работы активов, связанных со "
    "средствами обработки информации",
    "Правила инвентаризации и паспортизации средств вычислительной техники, "
    "телекоммуникационного оборудования и программного обеспечения",
    "Правила проведения внутреннего аудита информационной безопасности",
    "Правила использования средств криптографической защиты информации в "
    "объекте аттестации",
    "Правила разграничения прав доступа к электронным ресурсам объекта "
    "аттестации",
    "Правила использования сети Интернет и электронной почты",
    "Правила организации процедуры аутентификации",
    "Правила организации антивирусного контроля",
    "Правила использования мобильных устройств и носителей информации",
    "Правила организации физической защиты средств обработки информации и "
    "безопасной среды функционирования информационных ресурсов объекта "
    "аттестации",
    "Руководство администратора по сопровождению объекта аттестации",
    "Регламент резервного копирования и восстановления информации объекта "
    "аттестации",
    "Инструкция о порядке действий пользователей по реагированию на инциденты "
    "информационной безопасности и во внештатных (кризисных) ситуациях",
};

const char *cx_annex3_title(int number)
{
	return cx_annex3_title_in(number, "en");
}

const char *cx_annex3_title_in(int number, const char *lang)
{
	if (number < 1 || number > 16 || lang == NULL)
		return NULL;
	if (lang[0] == 'k' && lang[1] == 'k' && lang[2] == '\0')
		return annex3_kk[number - 1];
	if (lang[0] == 'r' && lang[1] == 'u' && lang[2] == '\0')
		return annex3_ru[number - 1];
	return annex3_en[number - 1];
}
