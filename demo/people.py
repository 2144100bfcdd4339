"""Invented people and places: small lists of common names of many origins, made-up streets, and
postcodes of a valid format in the borough's districts. Nothing here is a real person or address."""

import unicodedata
from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class Origin:
    """A naming tradition: its first names and surnames, and the language a person may prefer."""

    code: str
    weight: float
    first_names: tuple[str, ...]
    surnames: tuple[str, ...]
    language: str = "English"
    # How often someone of this origin prefers another language, and then needs an interpreter.
    other_language_rate: float = 0.0


ORIGINS: tuple[Origin, ...] = (
    Origin(
        "british_irish",
        44,
        (
            "Oliver",
            "Emily",
            "Jack",
            "Sophie",
            "Liam",
            "Siobhán",
            "Ciarán",
            "Megan",
            "George",
            "Ruth",
            "Daniel",
            "Chloe",
            "Connor",
            "Hannah",
            "Gareth",
            "Niamh",
        ),
        (
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Wilson",
            "Murphy",
            "O'Brien",
            "Evans",
            "Walsh",
            "Hughes",
            "Roberts",
            "Kelly",
            "Thompson",
            "Wright",
            "Byrne",
            "Davies",
        ),
    ),
    Origin(
        "south_asian",
        14,
        (
            "Priya",
            "Rajesh",
            "Imran",
            "Ayesha",
            "Harpreet",
            "Sunil",
            "Nadia",
            "Bilal",
            "Sana",
            "Arjun",
            "Zainab",
            "Kiran",
        ),
        ("Patel", "Khan", "Singh", "Hussain", "Ahmed", "Begum", "Sharma", "Iqbal", "Kaur", "Mahmood"),
        "Urdu",
        0.12,
    ),
    Origin(
        "african_caribbean",
        10,
        ("Chinedu", "Ngozi", "Kwame", "Ama", "Tunde", "Folake", "Marcus", "Shanice", "Kofi", "Abena"),
        ("Okafor", "Mensah", "Adeyemi", "Boateng", "Campbell", "Okoro", "Asante", "Williams", "Grant"),
    ),
    Origin(
        "polish",
        6,
        ("Łukasz", "Małgorzata", "Agnieszka", "Tomasz", "Paweł", "Zofia", "Michał", "Katarzyna"),
        ("Kowalski", "Wiśniewska", "Nowak", "Wójcik", "Lewandowski", "Kamińska", "Zieliński", "Dąbrowska"),
        "Polish",
        0.35,
    ),
    Origin(
        "turkish",
        3,
        ("Gökhan", "Ayşe", "Yağmur", "Mehmet", "Elif", "Çağla", "Emre", "Zeynep"),
        ("Yılmaz", "Doğan", "Şahin", "Öztürk", "Çelik", "Aydın", "Kaya", "Arslan"),
        "Turkish",
        0.3,
    ),
    Origin(
        "vietnamese",
        2,
        ("Thu", "Liễu", "Dũng", "Minh", "Hương", "Tiến", "Lan", "Quốc"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Hoàng", "Vũ", "Bùi"),
        "Vietnamese",
        0.4,
    ),
    Origin(
        "ukrainian",
        3,
        ("Олена", "Дмитро", "Оксана", "Андрій", "Ірина", "Тарас"),
        ("Коваленко", "Шевченко", "Бондаренко", "Мельник", "Ткаченко", "Кравченко"),
        "Ukrainian",
        0.5,
    ),
    Origin(
        "greek",
        2,
        ("Γιώργος", "Ελένη", "Νίκος", "Μαρία", "Δημήτρης", "Κατερίνα"),
        ("Παπαδόπουλος", "Ιωάννου", "Γεωργίου", "Νικολάου", "Οικονόμου", "Βασιλείου"),
        "Greek",
        0.3,
    ),
    Origin(
        "arabic",
        4,
        ("محمد", "فاطمة", "أحمد", "مريم", "يوسف", "ليلى"),
        ("الحسن", "العلي", "حداد", "منصور", "الخطيب", "سليمان"),
        "Arabic",
        0.5,
    ),
    Origin("urdu_script", 2, ("عائشہ", "عمران", "زینب", "حمزہ"), ("خان", "قریشی", "چودھری", "ملک"), "Urdu", 0.5),
    Origin(
        "chinese",
        3,
        ("Wei", "Mei", "Jun", "Xiu", "Hao", "Ling"),
        ("Chen", "Wang", "Li", "Zhang", "Liu", "Huang"),
        "Mandarin",
        0.25,
    ),
    Origin(
        "somali",
        3,
        ("Abdi", "Hodan", "Faadumo", "Yusuf", "Ayaan", "Mahad"),
        ("Hassan", "Warsame", "Farah", "Abdullahi", "Jama", "Omar"),
        "Somali",
        0.3,
    ),
    Origin(
        "romanian",
        4,
        ("Ionuț", "Andreea", "Ștefan", "Ioana", "Mihai", "Cristina"),
        ("Popescu", "Ionescu", "Dumitru", "Stan", "Gheorghe", "Rusu"),
        "Romanian",
        0.3,
    ),
)
_ORIGIN_WEIGHTS = [o.weight for o in ORIGINS]


def pick_origin(rng: Random, prefer_british: bool = False) -> Origin:
    if prefer_british and rng.random() < 0.6:
        return ORIGINS[0]
    return rng.choices(ORIGINS, _ORIGIN_WEIGHTS)[0]


# Districts of the two boroughs: the postcode area of each ward, and the town named in addresses.
DISTRICTS = {
    "M32": "Stretford",
    "M33": "Sale",
    "M41": "Urmston",
    "WA14": "Altrincham",
    "WA15": "Timperley",
    "M3": "Salford",
    "M5": "Salford",
    "M6": "Salford",
    "M7": "Salford",
    "M27": "Swinton",
    "M28": "Walkden",
    "M30": "Eccles",
    "M38": "Little Hulton",
    "M44": "Irlam",
}
WARD_DISTRICT = {
    "TRF01": "WA14",
    "TRF02": "M33",
    "TRF03": "WA14",
    "TRF04": "WA14",
    "TRF05": "M33",
    "TRF06": "WA15",
    "TRF07": "M41",
    "TRF08": "M41",
    "TRF09": "M32",
    "TRF10": "WA15",
    "TRF11": "WA15",
    "TRF12": "M32",
    "TRF13": "M41",
    "TRF14": "M33",
    "TRF15": "M32",
    "TRF16": "M33",
    "TRF17": "M33",
    "TRF18": "M32",
    "TRF19": "WA15",
    "TRF20": "WA15",
    "TRF21": "M41",
    "SLF01": "M30",
    "SLF02": "M3",
    "SLF03": "M28",
    "SLF04": "M7",
    "SLF05": "M44",
    "SLF06": "M6",
    "SLF07": "M30",
    "SLF08": "M44",
    "SLF09": "M7",
    "SLF10": "M38",
    "SLF11": "M5",
    "SLF12": "M27",
    "SLF13": "M6",
    "SLF14": "M5",
    "SLF15": "M27",
    "SLF16": "M27",
    "SLF17": "M28",
    "SLF18": "M28",
    "SLF19": "M6",
    "SLF20": "M28",
}
STREETS = (
    "Example Street",
    "Sample Road",
    "Demo Avenue",
    "Specimen Lane",
    "Placeholder Close",
    "Fictional Grove",
    "Madeup Crescent",
    "Pretend Drive",
    "Imaginary Way",
    "Notreal Terrace",
    "Invented Gardens",
    "Testbed Walk",
)
# Letters allowed in the inward part of a postcode (no C, I, K, M, O, V).
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postcode(rng: Random, district: str) -> str:
    return f"{district} {rng.randint(0, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


def address(rng: Random, district: str) -> tuple[str, str]:
    """A made-up street address in the district's town, and its postcode."""
    line = f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
    if rng.random() < 0.15:
        line = f"Flat {rng.randint(1, 24)}, {line}"
    return f"{line}, {DISTRICTS[district]}", postcode(rng, district)


def phone(rng: Random) -> str:
    """A mobile number from the range Ofcom keeps for drama: it reaches no one."""
    return f"07700 900{rng.randint(0, 999):03d}"


_ASCII_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D", "ß": "ss", "ø": "o"})


def email(first: str, last: str, number: int) -> str:
    """An address at a reserved example domain; names in other scripts become a plain 'resident'."""

    def ascii_part(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text.translate(_ASCII_FOLD)).encode("ascii", "ignore").decode()
        return "".join(ch for ch in folded.lower() if ch.isalnum())

    local = ".".join(part for part in (ascii_part(first), ascii_part(last)) if part) or "resident"
    domain = ("example.org", "example.com", "example.net")[number % 3]
    return f"{local}{number % 1000}@{domain}"
