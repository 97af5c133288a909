"""What a direct identifier looks like: column-name rules and content patterns for the HIPAA Safe Harbor list.

Names of columns (``Client Name``, ``DOB``, ``Phone`` ...) and shapes of values
(e-mail addresses, phone numbers, SSNs, street addresses, ZIP codes, record
numbers, URLs, IP addresses, full dates, person names, free text)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

#: Rows looked at per column (an evenly spaced sample of larger columns) and distinct
#: values tested per column (the most frequent ones): the scan costs milliseconds.
SAMPLE_ROWS = 20_000


SAMPLE_DISTINCT = 5_000

#: Characters of a cell the patterns look at; a longer cell is free text by itself (no code, label
#: or score is this long), so that the scan is linear in the length of a cell.
LONG_CELL = 1_000


#: What each check finds, as a noun phrase for messages.
NOUNS = {
    "person_name": "person names",
    "email": "e-mail addresses",
    "phone": "phone or fax numbers",
    "ssn": "Social Security or other national id numbers",
    "address": "street addresses",
    "city": "cities, towns or counties",
    "zip": "ZIP or postal codes",
    "record_number": "medical record, account, member or plan numbers",
    "url": "web addresses (URLs)",
    "ip": "IP addresses",
    "device": "device identifiers or serial numbers",
    "license": "licence, certificate or vehicle numbers",
    "photo": "photographs or biometric identifiers",
    "birth_date": "dates of birth",
    "date": "full dates",
    "month": "months of dates (month and year)",
    "age_over_89": "ages over 89",
    "free_text": "free-text notes",
    "header": "headers that are names, dates or contact details",
}


def _name_rule(words: str) -> re.Pattern[str]:
    """A regex for snake_case column names holding one of ``words`` as a whole token."""
    return re.compile(rf"(?:^|_)(?:{words})(?:_|$)")


# Column-name rules, applied to normalised snake_case names; the first that matches wins.
NAME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("birth_date", re.compile(r"^(?:\w+_)?(?:dob|d_o_b|date_of_birth|birth_?date|birthday|birth_dt|born)$")),
    ("birth_date", _name_rule(r"dob|date_of_birth|birth_?date|birthday")),
    (
        "date",
        re.compile(
            r"(?:^|_)(?:date|dates|datetime|timestamp|dos|dt)(?:_|$)"
            r"|^(?:created|updated|modified|submitted|completed|signed|scheduled|seen|visited|admitted"
            r"|discharged|deceased|died)_(?:at|on)$|^(?:\w+_)?date_of_(?:death|service|visit|admission)$"
        ),
    ),
    (
        "person_name",
        re.compile(
            r"^(?:name|names|surname|surnames|forename|forenames|initials|nickname|firstname|lastname"
            r"|fullname|middlename|maidenname)$"
            r"|^(?:\w+_)?(?:first|last|full|given|family|middle|maiden|preferred|sur|nick)_?names?$"
            r"|^(?:patient|client|pt|person|member|guardian|parent|mother|father|spouse|partner|caregiver"
            r"|contact|emergency_contact|next_of_kin|kin|child|baby|legal|insured|subscriber|responsible"
            r"|responsible_party)_(?:full_)?names?$"
            # the people around the client's care: their therapist, an emergency contact, who referred them
            # (an insurance or plan provider is a payer, not a person)
            r"|^(?:\w+_)?(?:therapists?|(?<!insurance_)(?<!plan_)(?<!payer_)providers?|clinicians?"
            r"|practitioners?|counsel+ors?|contact|contact_person|policy_?holders?)(?:_(?:full_)?names?)?$"
            r"|^(?:\w+_)?(?:referred|treated|seen)_by(?:_\w+)?$|^(?:\w+_)?referr(?:ing|er)(?:_\w+)?$"
        ),
    ),
    ("email", _name_rule(r"e_?mail|e_?mail_address|email_addr|mail_address")),
    ("phone", _name_rule(r"phone|phones|telephone|tel|mobile|cell|cellphone|fax|pager|phone_number")),
    (
        "ssn",
        _name_rule(
            r"ssn|ssns|social_security|social_insurance|national_id|national_insurance|nino|nhs_number|nhs_no"
            r"|passport|tax_id|itin"
        ),
    ),
    ("ip", re.compile(r"^(?:\w+_)?(?:ip|ip_address|ip_addr|ipaddress|ipv4|ipv6)$|(?:^|_)ip_address(?:_|$)")),
    ("device", _name_rule(r"mac_address|device_id|device_serial|serial_number|serial_no|imei|udid")),
    (
        "address",
        _name_rule(r"address|addresses|addr|street|street_address|address_line|address1|address2|po_box|apt"),
    ),
    ("city", _name_rule(r"city|town|county|municipality|neighbou?rhood|village|precinct|borough")),
    ("zip", _name_rule(r"zip|zipcode|zip_code|zip5|zip4|postal|postcode|postal_code|plz")),
    (
        "record_number",
        re.compile(
            r"^(?:\w+_)?(?:mrn|mrns|medical_record(?:_number|_no|_num|_id)?|med_rec(?:_no|_num|_number)?"
            r"|chart(?:_number|_no|_num|_id)?|account(?:_number|_no|_num|_id)?|acct(?:_number|_no|_num|_id)?"
            r"|member(?:_id|_number|_no)|insurance(?:_member)?(?:_id|_number|_no)|insurance_member"
            r"|subscriber(?:_id|_number|_no)?"
            r"|policy(?:_number|_no|_id)?|plan_number|plan_id|plan_no|health_plan(?:_id|_number|_no)"
            r"|medicaid(?:_id|_number|_no)|medicare(?:_id|_number|_no|_mbi)|mbi|beneficiary(?:_id|_number)"
            r"|group_number|claim(?:_id|_number|_no)|ehr_id|emr_id|patient_number|case_number)$"
        ),
    ),
    (
        "url",
        _name_rule(r"url|urls|website|web_site|homepage|web_page|webpage|social_media|facebook|instagram"),
    ),
    ("license", _name_rule(r"license|licence|drivers_license|driver_license|dl_number|vin|license_plate")),
    ("photo", _name_rule(r"photo|photos|photograph|biometric|biometrics|fingerprint|voiceprint|retina_scan")),
    (
        "free_text",
        _name_rule(
            r"note|notes|comment|comments|free_text|freetext|narrative|remark|remarks|memo|soap"
            r"|progress_note|clinical_note|session_note"
        ),
    ),
)


# Canonical columns: never flagged by name, checked by content.
ID_COLUMNS = frozenset({"client_id", "record_id"})


NUMERIC_COLUMNS = frozenset(
    {"session", "score", "year", "days_from_first", "pre", "post", "followup", "redcap_repeat_instance"}
)


KNOWN_COLUMNS = frozenset(
    {
        *ID_COLUMNS,
        *NUMERIC_COLUMNS,
        "timepoint",
        "measure",
        "condition",
        "technique",
        "age_band",
        "race_ethnicity",
        "postpartum",
        "payer",
        "site",
        "redcap_event_name",
        "redcap_repeat_instrument",
    }
)


WIDE_VALUE = re.compile(r"^.+_(?:pre|post|followup|follow_up|fu)$")


#: Columns of the contract that hold a vocabulary, not free values.
LABEL_COLUMNS = frozenset(
    {"condition", "technique", "payer", "site", "race_ethnicity", "postpartum", "age_band"}
)


#: Columns whose names say they hold procedure or diagnosis codes (CPT 97140, ICD-10 M54.5): five
#: digits there are a code, not a ZIP code.
CODE_COLUMN = re.compile(
    r"(?:^|_)(?:cpt|hcpcs|icd|icd9|icd10|dx|diagnosis_code|procedure|procedure_code|billing_code|service_code)"
    r"(?:_|$)"
)


AGE_NAME = re.compile(
    r"^(?:\w+_)?age(?:_(?:years?|yrs|in_years|at_\w+|now|today|current))?$|^(?:\w+_)?age_(?:at|on)_\w+$"
    r"|^(?:\w+_)?years_old$"
)


AGE_NOT = re.compile(r"(?:^|_)(?:band|bands|group|groups|range|category|cat|bracket|class)(?:_|$)")


# -- content patterns --------------------------------------------------------------------
#: An age over 89 in words, in an age column: ``ninety-two``, ``one hundred``.
AGE_WORDS = re.compile(r"\bninety\b|\bninety[- ]\w+|\bhundred\b", re.IGNORECASE)

NUMBER = re.compile(r"[+-]?\d{1,7}(?:[.,]\d+)?")


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)


_MM = r"(?:0?[1-9]|1[0-2])"


_DD = r"(?:0?[1-9]|[12]\d|3[01])"


_YYYY = r"(?:1[89]|20)\d{2}"


DATE = re.compile(
    rf"(?<![\d.])(?:"
    rf"{_YYYY}(?:-{_MM}-|/{_MM}/|\.{_MM}\.){_DD}"  # 2024-03-15, 2024/3/15, ISO datetimes
    rf"|{_MM}/{_DD}/(?:{_YYYY}|\d{{2}})|{_DD}/{_MM}/(?:{_YYYY}|\d{{2}})"  # 03/15/2024, 15/03/2024, 3/15/24
    rf"|{_DD}\.{_MM}\.{_YYYY}|{_MM}-{_DD}-{_YYYY}|{_DD}-{_MM}-{_YYYY}"  # 15.03.2024, 03-15-2024
    rf"|{_DD}-{_MONTHS}-(?:{_YYYY}|\d{{2}})"  # 15-Mar-2024
    rf")(?![\d])"
    rf"|\b{_MONTHS}\.?\s+{_DD}(?:st|nd|rd|th)?,?\s+{_YYYY}\b"  # March 15, 2024
    rf"|\b{_DD}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+{_YYYY}\b",  # 15 Mar 2024
    re.IGNORECASE,
)


#: A day and month without the year (``5 Mar``, ``March 5``): the month of a date, with its day.
DAY_MONTH = re.compile(
    rf"\b{_DD}(?:st|nd|rd|th)?\s+{_MONTHS}\b|\b{_MONTHS}\.?\s+{_DD}(?:st|nd|rd|th)?\b", re.IGNORECASE
)


COMPACT_DATE = re.compile(rf"{_YYYY}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


MONTH_YEAR = re.compile(
    rf"{_YYYY}[-/](?:0[1-9]|1[0-2])|(?:0?[1-9]|1[0-2])[-/]{_YYYY}|{_MONTHS}\.?,?\s+{_YYYY}", re.IGNORECASE
)


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


URL = re.compile(
    r"\b(?:https?://|ftp://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|info|biz)(?:/\S*)?\b",
    re.IGNORECASE,
)


_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


IP = re.compile(
    rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.])"
    r"|(?<![:\w])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![:\w])"
    r"|(?<![:\w])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:?){1,6}(?![:\w])"
)


SSN = re.compile(
    r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])|(?<!\d)\d{3} \d{2} \d{4}(?![\d])"
    r"|(?<![\d.])\d{3}\.\d{2}\.\d{4}(?![\d.])|(?<![\d/])\d{3}/\d{2}/\d{4}(?![\d/])"
    r"|(?<=SSN )\d{9}(?!\d)|(?<=SSN: )\d{9}(?!\d)|(?<=SSN#)\d{9}(?!\d)"
)


#: Dashes and spaces that hide a pattern from ASCII regexes (en and em dashes, the minus sign, a
#: non-breaking hyphen, a non-breaking space), as the patterns expect them.
DASHES = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


#: An e-mail address written to dodge the pattern: ``jane at gmail dot com``, ``jane(at)gmail(dot)com``.
EMAIL_SPELLED = re.compile(
    r"\b[\w.+-]+\s*(?:[(\[{<]\s*at\s*[)\]}>]|\sat\s)\s*[\w-]+"
    r"(?:\s*(?:[(\[{<]\s*dot\s*[)\]}>]|\sdot\s)\s*[\w-]+)*"
    r"\s*(?:[(\[{<]\s*dot\s*[)\]}>]|\sdot\s)\s*(?:com|org|net|edu|gov|mil|io|co|us|uk|ca|de|fr|info|biz|me)\b",
    re.IGNORECASE,
)


#: A Medicare Beneficiary Identifier (CMS format: 11 characters, letters without S, L, O, I, B, Z).
MBI = re.compile(
    r"(?<![A-Z0-9])[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}(?![A-Z0-9])",
    re.IGNORECASE,
)


#: A vehicle identification number: 17 characters without I, O, Q (its check digit is tested too).
VIN = re.compile(r"(?<![A-Za-z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])")  # written in capitals


#: A payment card number: 13 to 19 digits, in groups or not (its Luhn check digit is tested too).
CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")


#: An age over 89 written as text: ``92 years``, ``91 yrs old``, ``95 y/o``, ``93y``, ``age 94``,
#: ``aged: 91``.
AGE_TEXT = re.compile(
    r"(?<!\d)(?:9\d|1[0-2]\d)\s*(?:years?|yrs?\.?|y/?o|y\.o\.|y(?![a-z]))(?:\s+old)?\b"
    r"|\bage[ds]?\s*[:=]?\s*(?:9\d|1[0-2]\d)(?!\d)",
    re.IGNORECASE,
)


#: An age band that starts above 89 (``90-94``, ``95 to 99``): only ``90+`` keeps every age over 89
#: in one group, as Safe Harbor asks.
OLD_BAND = re.compile(r"(?:9\d|1[0-2]\d)\s*(?:-|–|to)\s*(?:9\d|1[0-2]\d)|(?:9[1-9]|1[0-2]\d)\s*\+")


PHONE_US = re.compile(
    r"(?<![\w+-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"
    r"(?:\s*(?:x|ext\.?)\s*\d+)?",
    re.IGNORECASE,
)


# international (+44 20 7946 0958, 0044 20 7946 0958, +4930123456) and national trunk-prefix
# formats (020 7946 0958, 030 1234567, 01 23 45 67 89); digit counts checked after matching
PHONE_INTL = re.compile(
    r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s./-]\(?\d{1,8}\)?){1,6}(?![\w])"
    r"|(?<![\w+])\+\d{8,15}(?![\w])"
    r"|(?<![\w.])0\d{1,4}[\s/-]\d{3,4}[\s-]?\d{3,4}(?![\w.])"
    r"|(?<![\w.])0[1-9](?:[\s.]\d{2}){4}(?![\w.])"
)


_STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter"
    r"|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Cres|Close|Alley|Route|Rte|Pike"
    r"|STREET|ST|AVENUE|AVE|ROAD|RD|BOULEVARD|BLVD|LANE|LN|DRIVE|DR|COURT|CT|WAY|PLACE|PL|HIGHWAY|HWY)"
)


ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?\s+)?"
    r"(?:(?:[A-Z][A-Za-z'.-]*|\d+(?:st|nd|rd|th))\s+){1,4}" + _STREET_SUFFIX + r"\b\.?"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm)\s+\d{1,4}[a-z]?\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
    r"|\b(?:Apt|Apartment)\.?\s*#?\s*\d+[A-Z]?\b",
)


_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC"
    "|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)


STATE_ZIP = re.compile(rf"\b(?:{_STATES}),?\s+\d{{5}}(?:-\d{{4}})?\b")


ZIP4 = re.compile(r"\d{5}-\d{4}")


ZIP5 = re.compile(r"\d{5}")


DIGITS9 = re.compile(r"\d{9}")


DIGITS10 = re.compile(r"\+?1?\d{10}")


#: The same in any case, for the label columns: a vocabulary has no street in it.
ADDRESS_ANY_CASE = re.compile(ADDRESS.pattern, re.IGNORECASE)

#: A full date in Chinese, Japanese or Korean notation: ``1985年3月15日``, ``2024년 3월 15일``.
CJK_DATE = re.compile(r"(?:1[89]|20)\d{2}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]?")

#: A phone number written with slashes: ``555/123/4567``.
PHONE_SLASH = re.compile(r"(?<![\d/])\d{3}/\d{3}/\d{4}(?![\d/])")

#: Numbers whose label or shape says what they are, beyond :data:`MRN`: ``MR-0012345``, ``chart
#: 4512``, ``member 884213377``, ``account 00123345``, ``#0012345``, ``DL 123 456 789``, a device
#: serial ``SN-TX4421-0098``, a MAC address, a GS1 device identifier ``(01)00643169007222``.
LABELLED_NUMBER = re.compile(
    r"\bMR-\d{5,}\b|\bchart\s+\d{3,}\b|\bmember\s+\d{6,}\b|\baccount\s+\d{5,}\b"
    r"|(?<![\w#])#\d{6,}\b|\bDL\s*[#:]?\s*[A-Z]?\d{3}[ -]?\d{3}[ -]?\d{3,}\b"
    r"|\bS/?N\s*[-:#]\s*[A-Z0-9]+-[A-Z0-9-]+\b"
    r"|(?<![0-9A-Fa-f:-])(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:])"
    r"|\(01\)\d{14}",
    re.IGNORECASE,
)

#: An e-mail address with spaces around its dots and at sign: ``jane . doe @ gmail . com`` (the
#: spaces are taken out, then a known top-level domain is asked for, so that "seen @ clinic . Next"
#: is not one).
SPACED_EMAIL = re.compile(r"\s*([@.])\s*")
EMAIL_KNOWN_DOMAIN = re.compile(
    r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|mil|io|co|us|uk|ca|de|fr|info|biz|me)\b",
    re.IGNORECASE,
)

#: A word that is a number of six digits or more after at most a short prefix (``Aetna W123456789``,
#: ``MR-0012345``): in a label column an account, member or record number, never the name of a
#: category (a CPT code or a payer id has five digits).
LONG_DIGITS = re.compile(r"\b[A-Za-z]{0,4}[-#]?\d{6,}\b")


MRN = re.compile(
    r"\b(?:MRN|MR\s*#|MR\s*No\.?|Med(?:ical)?\.?\s*Rec(?:ord)?s?\.?\s*(?:#|No\.?|Num(?:ber)?)?"
    r"|Chart\s*(?:#|No\.?|Num(?:ber)?)|Acct\.?\s*(?:#|No\.?|Num(?:ber)?)?|Account\s*(?:#|No\.?|Num(?:ber)?)"
    r"|Member\s*(?:ID|#|No\.?)|Policy\s*(?:#|No\.?|Num(?:ber)?)|Subscriber\s*(?:ID|#)|Patient\s*(?:ID|#|No\.?)"
    r"|Pt\.?\s*(?:ID|#)|Medicaid\s*(?:ID|#)|Medicare\s*(?:ID|#))\s*[:#=-]?\s*[A-Z]{0,3}-?\d{3,}",
    re.IGNORECASE,
)


# Person names: two or three capitalised words ("Jane Doe", "Mary-Kate O'Neil", "Doe, Jane A.")
_W = r"(?:[A-Z][a-z]*(?:['’-]?[A-Z])?[a-z]+)"


_TITLE = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+)?"


NAME_SHAPE = re.compile(
    rf"{_TITLE}{_W}(?:\s+(?:{_W}|[A-Z]\.?))?\s+{_W}(?:,?\s+(?:Jr|Sr|II|III|IV)\.?)?|{_W},\s*{_W}(?:\s+(?:{_W}|[A-Z]\.?))?"
)


UPPER_NAME = re.compile(r"[A-Z][A-Z'-]+(?:\s+(?:[A-Z][A-Z'-]+|[A-Z]\.?)){1,2}|[A-Z][A-Z'-]+,\s*[A-Z][A-Z'-]+")


# words that make a capitalised phrase a category label rather than a person's name
NOT_NAME_WORDS = frozenset(
    """
    pain floor pelvic back neck low lower upper clinic clinics center centre health care medical hospital
    therapy therapies therapist release manipulation technique techniques massage drainage street road avenue
    insurance plan pay cross shield blue group practice office site other unknown not none prefer declined
    american african white black asian native hispanic latino latina latinx pacific islander alaska indian
    hawaiian multiracial races race ethnicity reported commercial medicare medicaid private self sliding scale
    workers comp tricare veterans affairs craniosacral visceral myofascial lymphatic dry needling headache
    headaches migraine jaw tmj sleep stress anxiety syndrome disorder dysfunction disease postpartum prenatal
    pregnancy incontinence prolapse bladder bowel fibromyalgia chronic acute session visit follow north south
    east west main new york city county state university college school program services service unit
    department intake discharge treatment referral referred physician doctor nurse provider yes no female male
    woman women man men nonbinary transgender married single divorced widowed employed unemployed retired
    student english spanish french german chinese arabic level grade mild moderate severe improved worse same
    """.split()
)


# common given names (US Social Security top names and frequent international ones), lower case;
# with the name shape they mark a value as a person's name even in a small column
GIVEN_NAMES = frozenset(
    """
    aaron abigail adam adriana ahmed aisha alan albert alejandra alejandro alexander alexis ali alice alicia
    alison allison amanda amelia amy ana ananya andrea andrew angela anita ann anna anne annie anthony antonio
    arjun arthur ashley ava barbara beatriz benjamin betty beverly billy bradley brandon brenda brian brittany
    bruce bryan camila carl carlos carmen carol caroline carolyn catherine charles charlotte cheryl chloe
    christian christina christine christopher cindy claire claudia cynthia daniel daniela danielle david
    deborah debra denise dennis diana diane diego dmitri donald donna doris dorothy douglas dylan edward
    elena elijah elizabeth ella ellen emily emma eric erica erik ethan eugene evelyn fatima francesca
    francisco frank gabriel gabriela gary george gerald giovanni giulia gloria gregory hannah harold harper
    hassan heather heidi helen henry hiroshi ingrid irene isabel isabella ivan jack jacob jacqueline james
    jane janet janice jasmine jason javier jean jeffrey jennifer jeremy jerry jesse jessica joan joanne
    johanna john jonathan jorge jose joseph joshua joyce juan judith judy julia julie justin karen katherine
    kathleen kathryn katie kayla keith kelly kenneth kevin kimberly kyle larry laura lauren lawrence leah
    lena leticia liam linda lisa logan lori louis lucas lucia lucy luis madison margaret maria marie marilyn
    martha mary mason matthew megan mei melissa mia michael michelle miguel mohammed monica muhammad nancy
    natalie natasha nathan nicholas nicole noah nora olga olivia omar pamela patricia patrick paul paula
    pedro peter philip priya rachel rahul raj ralph randy raymond rebecca richard robert roger ronald
    russell ruth ryan samantha samuel sandra sara sarah scott sean sergei sharon shirley sofia sophia sophie
    stephanie stephen steven susan svetlana tatiana teresa terry theresa thomas timothy tyler valentina
    vanessa veronica vincent walter wayne wei william yolanda yuki zachary zoe
    """.split()
)


WORDS = re.compile(r"[a-z]+")


SINGLE_NAME = re.compile(r"[A-Z][a-z]+")


FIX_HINT = (
    "To fix the export: drop these columns from it (or, when one comes in through the column mapping, "
    "map a pseudonymous code instead), or make an anonymized copy with "
    "`outcomes anonymize RAW -o clean.csv --key-file KEY` (make the key once with `outcomes keygen KEY`; "
    "see 'Anonymizing an export' in docs/data-format.md). Data held under an expert determination or a "
    'data-use agreement can be read as they are with allow_identifiers="REASON" (command line: '
    '--allow-identifiers "REASON", e.g. "expert determination #2025-14"); the reason is recorded in '
    "the provenance of everything produced."
)


# -- structure and check digits of the identifiers that have them ------------------------------
def valid_ssn(text: str) -> bool:
    """An SSN's structure (SSA): area not 000, 666 or 9xx; group not 00; serial not 0000."""
    d = "".join(ch for ch in text if ch.isdigit())
    return d[:3] not in ("000", "666") and d[0] != "9" and d[3:5] != "00" and d[5:] != "0000"


def card_number(text: str) -> bool:
    """A payment card number: an issuer's first digits (3, 4, 5 or 6) and a valid Luhn digit."""
    d = [int(ch) for ch in text if ch.isdigit()]
    if not 13 <= len(d) <= 19 or d[0] not in (3, 4, 5, 6):
        return False
    total = sum(d[-1::-2]) + sum(sum(divmod(2 * x, 10)) for x in d[-2::-2])
    return total % 10 == 0


_VIN_VALUES = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True))}
_VIN_VALUES.update({**dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9})
_VIN_VALUES.update(dict(zip("STUVWXYZ", range(2, 10), strict=True)))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def valid_vin(text: str) -> bool:
    """A vehicle identification number with letters and digits and a valid check digit (49 CFR 565)."""
    v = text.upper()
    if not (any(ch.isalpha() for ch in v) and any(ch.isdigit() for ch in v)):
        return False
    total = sum(_VIN_VALUES[ch] * w for ch, w in zip(v, _VIN_WEIGHTS, strict=True))
    check = "X" if total % 11 == 10 else str(total % 11)
    return v[8] == check


# -- applying a pattern to the distinct values of a column ------------------------------------
def matches(values: Sequence[str], pattern: re.Pattern[str], *, full: bool = False) -> np.ndarray:
    """Which values hold a match of ``pattern`` (the whole value with ``full``), as booleans."""
    test = pattern.fullmatch if full else pattern.search
    return np.fromiter((test(v) is not None for v in values), dtype=bool, count=len(values))


def digit_count(values: Sequence[str], pattern: re.Pattern[str], lo: int, hi: int) -> np.ndarray:
    """Values holding a match of ``pattern`` with ``lo``..``hi`` digits (phone numbers)."""

    def ok(v: str) -> bool:
        return any(lo <= sum(ch.isdigit() for ch in m.group()) <= hi for m in pattern.finditer(v))

    return np.fromiter((ok(v) for v in values), dtype=bool, count=len(values))


def checked(values: Sequence[str], pattern: re.Pattern[str], valid: Callable[[str], bool]) -> np.ndarray:
    """Values holding a match of ``pattern`` that passes ``valid`` (a structure or check digit)."""
    return np.fromiter(
        (any(valid(m.group()) for m in pattern.finditer(v)) for v in values), dtype=bool, count=len(values)
    )
