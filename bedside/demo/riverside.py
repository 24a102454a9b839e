"""Who and what the example practice is: Riverside Family Health, its places and its team.

Plain data, read by ``bedside/demo/seeding.py``. The people, addresses and phone numbers
are invented; ``.example`` domains and 555 numbers cannot reach anyone real.
"""

from dataclasses import dataclass

from bedside.practices.models import Role

SLUG = "riverside"
DEMO_PASSWORD = "riverside-demo-2025"  # noqa: S105 (printed on purpose: demo logins)
DEMO_DOMAIN = "riverside.example"


@dataclass(frozen=True)
class Login:
    role: Role
    email: str
    name: str
    display_name: str


LOGINS = (
    Login(Role.OWNER, f"owner@{DEMO_DOMAIN}", "Dr. Maya Okafor", "Dr. Okafor"),
    Login(Role.ADMIN, f"admin@{DEMO_DOMAIN}", "Daniel Reyes", "Daniel (practice manager)"),
    Login(Role.EDITOR, f"editor@{DEMO_DOMAIN}", "Priya Nair", "Priya (community team)"),
    Login(Role.CLINICIAN, f"clinician@{DEMO_DOMAIN}", "Dr. Samuel Brooks", "Dr. Brooks"),
    Login(Role.MODERATOR, f"moderator@{DEMO_DOMAIN}", "Grace Liu", "Grace (nurse moderator)"),
    Login(Role.COMPLIANCE, f"compliance@{DEMO_DOMAIN}", "Helen Marsh", "Helen (privacy officer)"),
    Login(Role.PATIENT, f"patient@{DEMO_DOMAIN}", "Jamie Rivera", "Jamie R."),
)

PRACTICE = {
    "name": "Riverside Family Health",
    "specialty": "Family medicine",
    "tagline": "Care for every age, right here by the river.",
    "phone": "(555) 201-4400",
    "email": f"hello@{DEMO_DOMAIN}",
    "website": f"https://www.{DEMO_DOMAIN}/",
    "booking_url": f"https://www.{DEMO_DOMAIN}/book",
    "portal_url": f"https://portal.{DEMO_DOMAIN}/",
    "logo_alt": "Riverside Family Health logo: a white cross above two river waves on teal",
    "about": """\
Riverside Family Health has cared for families in Millbrook since 1998. Our physicians,
nurse practitioners and nurses look after newborns, grandparents and everyone in between,
under one roof — with a dietitian and a counselor on the team, too.

**What we offer**

- Check-ups, vaccinations and sports physicals
- Care for diabetes, asthma, high blood pressure and other long-term conditions
- Well-baby visits and children's care
- Same-day appointments for sudden illness
- Nutrition and mental-health support

This page is where we share news from the office, health tips we trust, and the people
behind the practice. For questions about your own health, please use the patient portal or
call us. **In an emergency, call 911.**
""",
    "welcome_message": """\
Welcome to Riverside Family Health's community! Here you will find news from the office,
health information our clinicians have checked, and the faces behind the front desk.

A few things to know:

- Posts marked *Patients only* are visible to members like you, not the public.
- Comments are public to other members — please keep your own health details private.
- For anything about **your** care, use the patient portal or call (555) 201-4400.
""",
    "guidelines": """\
1. **Be kind.** Everyone here is somebody's patient, parent or neighbour.
2. **Keep private things private.** Do not share your own or anyone else's health details,
   phone numbers or addresses in comments.
3. **No medical advice between members.** Ask your clinician instead.
4. **No advertising.**

Our moderators may hide comments that break these guidelines.
""",
}

# (name, street, city, region, postal code, phone, [(weekday, opens, closes), ...])
LOCATIONS = (
    (
        "Riverside Main Office",
        "415 River Road",
        "Millbrook",
        "OR",
        "97301",
        "(555) 201-4400",
        [
            *[(day, "08:00", "12:30") for day in range(5)],
            *[(day, "13:30", "18:00") for day in range(5)],
            (5, "09:00", "13:00"),
        ],
    ),
    (
        "Northside Clinic",
        "88 Willow Avenue, Suite 2",
        "Millbrook",
        "OR",
        "97304",
        "(555) 201-4480",
        [*[(day, "09:00", "17:00") for day in range(4)], (4, "09:00", "15:00")],
    ),
)


@dataclass(frozen=True)
class TeamMember:
    name: str
    role_title: str
    credentials: str
    specialties: str
    languages: str
    bio: str
    life_outside: str
    fun_fact: str
    photo_alt: str
    login: Role | None = None


TEAM = (
    TeamMember(
        "Dr. Maya Okafor", "Family physician and medical director", "MD, FAAFP",
        "Preventive care, diabetes, women's health", "English, Igbo",
        "Dr. Okafor founded the practice's diabetes programme and still sees patients four "
        "days a week. She trained at Oregon Health & Science University and believes the best "
        "medicine starts with a good conversation.",
        "Weekends find her in the community garden, coaxing tomatoes out of Oregon clay, or "
        "paddling the river with her two teenagers.",
        "She has run the Millbrook half-marathon eleven years in a row — never once in a hurry.",
        "Portrait of Dr. Maya Okafor smiling, with dark hair, in a white coat",
        Role.OWNER,
    ),
    TeamMember(
        "Daniel Reyes", "Practice manager", "MBA",
        "Operations, scheduling, patient experience", "English, Spanish",
        "Daniel keeps the practice running: schedules, suppliers and the thousand small things "
        "that make a visit go smoothly. If something did not go right, he wants to hear it.",
        "A home cook with ambitions, he is working through his grandmother's recipe book one "
        "Sunday at a time.",
        "He once organised a flu-shot clinic for 600 people in a single Saturday.",
        "Portrait of Daniel Reyes smiling, wearing a blue sweater",
        Role.ADMIN,
    ),
    TeamMember(
        "Priya Nair", "Patient community coordinator", "",
        "Patient education, newsletters, events", "English, Malayalam, Hindi",
        "Priya writes most of what you read here and makes sure our clinicians check every "
        "health post before it goes out.",
        "Priya sings in the Millbrook community choir and is learning to make pottery that does "
        "not wobble.",
        "She has read every one of our posts aloud to check it sounds like a human wrote it.",
        "Portrait of Priya Nair smiling, with long dark hair and glasses",
        Role.EDITOR,
    ),
    TeamMember(
        "Dr. Samuel Brooks", "Family physician", "MD",
        "Sports medicine, men's health, asthma", "English",
        "Dr. Brooks joined us in 2015 after residency in Portland. He looks after many of our "
        "young athletes and enjoys helping patients get back to what they love.",
        "A former college soccer goalkeeper, he now coaches his daughter's under-10 team.",
        "He keeps a jar of sugar-free lollipops for brave patients of every age.",
        "Portrait of Dr. Samuel Brooks smiling, with short hair, in a white coat",
        Role.CLINICIAN,
    ),
    TeamMember(
        "Grace Liu", "Registered nurse and community moderator", "RN, BSN",
        "Chronic-care coordination, vaccinations", "English, Mandarin",
        "Grace coordinates care for patients with long-term conditions and keeps our online "
        "community a friendly, safe place.",
        "She volunteers at the animal shelter and is the proud human of two rescue cats.",
        "She can give a flu shot so gently that most people ask when she is going to start.",
        "Portrait of Grace Liu smiling, with long dark hair, wearing green",
        Role.MODERATOR,
    ),
    TeamMember(
        "Dr. Elena Vasquez", "Pediatrician", "MD, FAAP",
        "Newborn care, childhood development, asthma", "English, Spanish",
        "Dr. Vasquez cares for our youngest patients, from their first week to their last "
        "school physical, and loves answering parents' questions.",
        "A mother of three, she spends her free time at soccer fields and in the kitchen.",
        "Her exam room has a hand-painted river mural that her kids helped design.",
        "Portrait of Dr. Elena Vasquez smiling, with curly hair, in a white coat",
    ),
    TeamMember(
        "Tomás Herrera", "Family nurse practitioner", "MSN, FNP-C",
        "Same-day visits, women's health, travel vaccines", "English, Spanish, Portuguese",
        "Tomás sees patients for same-day visits and check-ups at our Northside clinic.",
        "He is a keen cyclist and rides to work in every weather Oregon can offer.",
        "He has visited 31 countries and brings back a postcard for the break room from each.",
        "Portrait of Tomás Herrera smiling, with short dark hair and glasses",
    ),
    TeamMember(
        "Aisha Mohammed", "Physician assistant", "PA-C",
        "Skin care, minor procedures, diabetes", "English, Arabic, Somali",
        "Aisha works alongside our physicians on diabetes care and minor procedures, and is "
        "known for explaining things clearly.",
        "Aisha loves long hikes in the Cascades and baking bread for her neighbours.",
        "She keeps a sourdough starter named Gerald that is older than some of our patients.",
        "Portrait of Aisha Mohammed smiling, wearing a purple top",
    ),
    TeamMember(
        "Ben Carter", "Registered dietitian", "RD, CDCES",
        "Diabetes nutrition, heart-healthy eating, family meals", "English",
        "Ben helps patients find ways of eating that fit their lives, budgets and tastes — no "
        "lectures, just practical plans.",
        "He grows far too many zucchini every summer and gives them to anyone who will take them.",
        "He has a recipe for every vegetable, including the ones you think you dislike.",
        "Portrait of Ben Carter smiling, with light brown hair, wearing teal",
    ),
    TeamMember(
        "Hannah Schmidt", "Behavioral health counselor", "LCSW",
        "Anxiety, depression, stress, parenting support", "English, German",
        "Hannah offers short-term counselling at the practice and helps patients find longer "
        "support when they need it.",
        "She walks her retriever by the river every morning before work.",
        "She has completed a 1,000-piece jigsaw puzzle in a single rainy weekend.",
        "Portrait of Hannah Schmidt smiling, with blonde hair, wearing coral",
    ),
    TeamMember(
        "Marcus Johnson", "Medical assistant", "CMA",
        "Vital signs, vaccinations, lab draws", "English",
        "Marcus is often the first person you meet in the exam room and makes sure your visit "
        "starts on time and on the right foot.",
        "He plays bass in a weekend jazz trio that performs at the Millbrook farmers' market.",
        "He can name every song on the waiting-room playlist within three notes.",
        "Portrait of Marcus Johnson smiling, with short hair, wearing blue",
    ),
    TeamMember(
        "Sofia Rossi", "Front desk lead", "",
        "Check-in, insurance questions, appointments", "English, Italian",
        "Sofia and her team welcome you at the front desk, sort out insurance questions and find "
        "an appointment that fits your day.",
        "She grew up in Naples and makes the best espresso in the building.",
        "She remembers the name of nearly every patient's dog.",
        "Portrait of Sofia Rossi smiling, with dark hair, wearing a white blouse",
    ),
)  # fmt: skip

# Pseudonymous display names for the other patients: members choose what others see.
PATIENT_NAMES = (
    "Sunny Walker", "Bookworm Bea", "Trail Runner Tom", "GardenGran", "Coffee & Kids",
    "River Rat Rob", "Quilting Queen", "Dad of Twins", "Millbrook Mel", "Night Shift Nurse",
    "Marathon Maria", "Cat Person Kay", "Birdwatcher Bill", "Sourdough Sam", "Yoga Yuki",
    "Grandpa Joe", "New Mom Nadia", "Hiking Hank", "Tea Drinker Tess", "Soccer Mom Sara",
    "Painter Pat", "Lakeside Lou", "Chef Chris", "Jazz Fan Jay", "Cyclist Chloe",
    "Fisherman Frank", "Teacher Tina", "Retired & Roaming", "Dog Walker Dee", "Baker Ben",
    "Knitting Nora", "Stargazer Sid", "Piano Pam", "Camper Carl", "Gardener Gwen",
    "Runner Ravi", "Poet Paula", "Puzzle Pete", "Choir Chris", "Mountain Mia",
)  # fmt: skip

SECOND_PRACTICE = {
    "slug": "harbor-pediatrics",
    "name": "Harbor Pediatrics",
    "specialty": "Pediatrics",
    "tagline": "Little patients, big smiles.",
    "phone": "(555) 318-2200",
    "email": "hello@harbor.example",
    "booking_url": "https://www.harbor.example/appointments",
    "about": "A small pediatric practice on the harbour front, caring for children from "
    "birth to 18. **In an emergency, call 911.**",
    "welcome_message": "Welcome to Harbor Pediatrics! News, tips for parents and our team.",
    "guidelines": "Be kind, and keep children's health details private.",
    "logo_alt": "Harbor Pediatrics logo: a white cross above waves on teal",
}
SECOND_OWNER = Login(Role.OWNER, "owner@harbor.example", "Dr. Leo Park", "Dr. Park")
SECOND_LOCATION = (
    "Harbor Pediatrics",
    "12 Harbour Front",
    "Port Ellis",
    "OR",
    "97365",
    "(555) 318-2200",
    [*[(day, "08:30", "17:00") for day in range(5)]],
)
SECOND_TEAM = (
    TeamMember(
        "Dr. Leo Park", "Pediatrician", "MD, FAAP",
        "Newborns, asthma, allergies", "English, Korean",
        "Dr. Park opened Harbor Pediatrics in 2011.",
        "He sails small boats badly and happily.", "He has a collection of 200 rubber ducks.",
        "Portrait of Dr. Leo Park smiling, in a white coat", Role.OWNER,
    ),
    TeamMember(
        "Nina Alvarez", "Pediatric nurse", "RN, CPN",
        "Vaccinations, newborn visits", "English, Spanish",
        "Nina makes shots a little less scary with stickers and songs.",
        "She runs along the harbour at sunrise.", "She knows every Disney song by heart.",
        "Portrait of Nina Alvarez smiling, wearing purple",
    ),
)  # fmt: skip
SECOND_POSTS = (
    ("announcement", "non_medical", "We are open late on Thursdays",
     "From next month, the office is open until **7 pm** on Thursdays for after-school visits."),
    ("announcement", "medical", "Back-to-school vaccines: book early",
     "Check your child's vaccine record before school starts; we have extra slots in August."),
    ("office_life", "non_medical", "Our new waiting-room reading corner",
     "Thanks to donations from families, the reading corner now has over 300 picture books."),
    ("announcement", "medical", "Sun safety for little ones",
     "Babies under six months should stay in the shade; for older children, use a broad-"
     "spectrum SPF 30+ sunscreen and reapply every two hours."),
)  # fmt: skip
