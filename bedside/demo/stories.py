"""What Riverside Family Health has posted over the last four months, and what patients said.

Plain data, read by ``bedside/demo/seeding.py``. Team spotlights are written from the
team profiles in ``bedside/demo/riverside.py``; everything else is here.
"""

from dataclasses import dataclass, field

from bedside.practices.models import Role


@dataclass(frozen=True)
class Picture:
    scene: str
    alt_text: str
    caption: str = ""


@dataclass(frozen=True)
class Story:
    kind: str
    topic: str
    title: str
    body: str
    days_ago: float
    author: Role = Role.EDITOR
    patients_only: bool = False
    is_draft: bool = False
    pictures: tuple[Picture, ...] = field(default=())


WELCOME = Story(
    "announcement",
    "non_medical",
    "Welcome to our new community page",
    """\
We are so glad you are here! This is Riverside Family Health's own corner of the internet:
news from both offices, health information our clinicians have checked, and the people
behind the front desk.

- **Meet the team** to put faces to names before your next visit.
- **React and comment** — we read everything.
- For questions about *your* health, please use the [patient portal](https://portal.riverside.example/)
  or call us at (555) 201-4400. In an emergency, call 911.
""",
    days_ago=118,
    author=Role.OWNER,
)

STORIES = (
    Story("office_life", "non_medical", "Our waiting room got a makeover",
          "New chairs, more plants and a reading corner for kids. Come and see it!",
          112, pictures=(
              Picture("waiting_room", "The renovated waiting room with teal chairs, potted "
                      "plants and a large window", "The new waiting room, Main Office"),
              Picture("front_desk", "Two front-desk staff smiling behind the new reception "
                      "counter", "Sofia and Marcus at the new front desk"),
              Picture("exam_room", "A bright exam room with a pale blue exam table",
                      "Exam room 3, freshly painted"),
          )),
    Story("announcement", "medical", "Flu shots are here",
          "This year's flu vaccine has arrived. Everyone six months and older should get one "
          "each season. Walk-ins are welcome at both offices on weekday mornings.\n\n"
          "*Source: CDC, Seasonal Flu Vaccines.*", 109, Role.CLINICIAN),
    Story("announcement", "non_medical", "New Saturday hours at the Main Office",
          "Starting this week, the Main Office is open **Saturdays from 9 am to 1 pm** for "
          "check-ups and same-day visits.", 106, Role.ADMIN),
    Story("announcement", "medical", "Five small habits for a healthier heart",
          "1. Walk 30 minutes most days.\n2. Add a vegetable to every meal.\n3. Go easy on "
          "salt.\n4. Sleep 7–9 hours.\n5. Know your blood pressure numbers.\n\nSmall steps add "
          "up. Ask us at your next visit. *Source: American Heart Association.*", 103,
          Role.CLINICIAN),
    Story("office_life", "non_medical", "Team lunch: the great chili cook-off",
          "Eight chilis, one winner, and a lot of happy staff. Congratulations to Ben for his "
          "three-bean masterpiece!", 99, pictures=(
              Picture("team_table", "Five staff members around a table sharing bowls of chili",
                      "The judging panel hard at work"),
              Picture("celebration", "Staff cheering with confetti in the break room",
                      "Ben accepts the golden ladle"),
          )),
    Story("announcement", "medical", "Why we ask about your sleep",
          "Sleep affects blood pressure, mood, blood sugar and weight. That is why we ask about "
          "it at check-ups. If you snore loudly or feel tired all day, tell us — it is often "
          "treatable.", 96, Role.CLINICIAN),
    Story("announcement", "non_medical", "We have been named a Patient-Centered Medical Home",
          "We are proud to share that Riverside Family Health has been recognised as a "
          "Patient-Centered Medical Home for the third time. Thank you to our whole team and "
          "to every patient who filled in a survey.", 92, Role.OWNER),
    Story("office_life", "non_medical", "Spring planting in the healing garden",
          "Staff and volunteers planted herbs and flowers in the garden behind the Main "
          "Office. Patients are welcome to sit there before appointments.", 89, pictures=(
              Picture("garden", "Three staff members planting in a sunny garden with trees",
                      "Planting day"),
          )),
    Story("announcement", "medical", "Back-to-school sports physicals",
          "Book your child's sports physical before the season starts. Bring any forms from "
          "the school and a list of medicines.", 86, Role.CLINICIAN),
    Story("announcement", "medical", "Managing diabetes: our new group classes",
          "Our dietitian Ben and nurse Grace now run a **free four-week class** for patients "
          "living with type 2 diabetes: food, movement, medicines and questions. Ask at the "
          "front desk to sign up.", 82, Role.EDITOR, patients_only=True),
    Story("office_life", "non_medical", "Northside Clinic turns five",
          "Cake, balloons and a lot of gratitude. Thank you for five wonderful years, "
          "Northside!", 78, pictures=(
              Picture("celebration", "The Northside team celebrating with confetti",
                      "Five years of Northside"),
              Picture("front_desk", "The Northside reception desk decorated with balloons"),
              Picture("team_table", "Staff sharing birthday cake around a table"),
          )),
    Story("announcement", "medical", "Sun safety for the whole family",
          "Use a broad-spectrum sunscreen with SPF 30 or higher, reapply every two hours, and "
          "keep babies under six months in the shade. *Source: American Academy of "
          "Dermatology.*", 74, Role.CLINICIAN),
    Story("announcement", "non_medical", "Meet us at the Millbrook health fair",
          "Find our booth at the community centre on Saturday for free blood-pressure checks, "
          "healthy snacks and a chance to meet the team.", 71),
    Story("announcement", "medical", "Allergy season is here",
          "If your eyes itch and your nose runs every spring, you are not alone. Many allergy "
          "medicines are available without a prescription; ask us which is right for you.",
          68, Role.CLINICIAN),
    Story("office_life", "non_medical", "Photos from the health fair",
          "Thank you to everyone who stopped by! We checked 214 blood pressures and handed out "
          "a mountain of apples.", 66, pictures=(
              Picture("celebration", "Visitors and staff at the Riverside booth at the fair",
                      "Our booth"),
              Picture("garden", "Families walking between stalls in the park",
                      "A sunny day in the park"),
              Picture("team_table", "Staff checking blood pressure at a table",
                      "Blood-pressure checks"),
              Picture("front_desk", "Two staff members handing out leaflets and apples"),
          )),
    Story("announcement", "non_medical", "Welcome, Tomás Herrera, FNP-C",
          "Tomás joins the Northside Clinic as a family nurse practitioner. He speaks English, "
          "Spanish and Portuguese and is now accepting new patients.", 63, Role.ADMIN),
    Story("announcement", "medical", "Staying hydrated in the heat",
          "Drink water before you feel thirsty, especially if you are older, pregnant or "
          "working outdoors. Light-coloured urine is a good sign you are drinking enough.",
          59, Role.CLINICIAN),
    Story("office_life", "non_medical", "Bring-your-dog-to-the-garden day",
          "Our garden was full of wagging tails. Hannah's retriever Maple stole the show.",
          56, pictures=(Picture("garden", "Staff members standing in the garden on a sunny "
                                "day", "Maple and friends"),)),
    Story("announcement", "medical", "Blood pressure: what the numbers mean",
          "The top number (systolic) is the pressure when your heart beats; the bottom "
          "(diastolic) is between beats. A reading under 120/80 is normal. Home monitors are a "
          "great way to keep track — bring yours to your next visit and we will check it.",
          52, Role.CLINICIAN, patients_only=True),
    Story("announcement", "non_medical", "Online check-in is now available",
          "You can now check in for your appointment from your phone, up to 24 hours ahead. "
          "Look for the link in your reminder text.", 49, Role.ADMIN),
    Story("office_life", "non_medical", "Our new exam rooms at Northside",
          "Two new exam rooms mean shorter waits at the Northside Clinic.", 45, pictures=(
              Picture("exam_room", "A new exam room with a pale blue exam table and a window"),
              Picture("exam_room", "A second exam room with a plant by the window"),
          )),
    Story("announcement", "medical", "Talking with teens about vaping",
          "Start with curiosity, not a lecture. Ask what they have heard and share facts. Our "
          "clinicians are glad to talk with teens privately at check-ups.", 42, Role.CLINICIAN),
    Story("announcement", "non_medical", "Closed Monday for the holiday",
          "Both offices are closed on Monday. For urgent needs call our after-hours line at "
          "(555) 201-4499; in an emergency, call 911.", 38, Role.ADMIN),
    Story("office_life", "non_medical", "A morning at the front desk",
          "Ever wondered what happens before the doors open? Coffee, a team huddle and a lot "
          "of phone calls.", 35, pictures=(
              Picture("front_desk", "The front-desk team preparing for the day",
                      "7:45 am, before the doors open"),
          )),
    Story("announcement", "medical", "When to see us for a cough",
          "Most coughs go away on their own in two to three weeks. See us if you have a fever "
          "over 102°F, trouble breathing, or a cough lasting more than three weeks.", 31,
          Role.CLINICIAN),
    Story("announcement", "non_medical", "Thank you for 500 reviews!",
          "Your kind words mean the world to our team. We read every single one.", 28,
          Role.OWNER),
    Story("office_life", "non_medical", "Staff appreciation breakfast",
          "Pancakes made by our physicians, served to everyone else. A Riverside tradition.",
          24, pictures=(
              Picture("team_table", "Staff eating pancakes together at a long table",
                      "Pancakes for everyone"),
              Picture("celebration", "Staff raising coffee mugs in a toast"),
              Picture("waiting_room", "The waiting room decorated with thank-you notes"),
          )),
    Story("announcement", "medical", "Getting ready for cold and flu season",
          "Wash your hands, stay home when sick, and get your flu shot. Book a visit if you "
          "have a long-term condition like asthma or diabetes.", 20, Role.CLINICIAN),
    Story("announcement", "non_medical", "Our diabetes class graduates",
          "Congratulations to the twelve patients who completed our diabetes class this month!",
          17, Role.EDITOR, patients_only=True),
    Story("office_life", "non_medical", "Autumn colours in the healing garden",
          "The maples behind the Main Office are glowing this week.", 14, pictures=(
              Picture("garden", "Trees in a garden under a blue sky"),
          )),
    Story("announcement", "medical", "New: same-day telephone advice line",
          "Our nurses now answer health questions by phone from 8 am to 6 pm on weekdays. "
          "Call (555) 201-4400 and choose option 2.", 10, Role.ADMIN),
    Story("announcement", "medical", "Is it a cold or the flu?",
          "Colds come on slowly with a runny nose; flu hits suddenly with fever, aches and "
          "exhaustion. If you are at higher risk, call us early — flu medicine works best in "
          "the first two days.", 7, Role.CLINICIAN),
    Story("office_life", "non_medical", "Halloween at Riverside",
          "Our front desk team dressed as the food pyramid. Ben was broccoli, obviously.", 4,
          pictures=(
              Picture("celebration", "Staff in colourful costumes celebrating in the office"),
              Picture("front_desk", "The front desk decorated with pumpkins"),
          )),
    Story("announcement", "non_medical", "Parking update at the Main Office",
          "The lot behind the building is being repaved this week. Free parking is available "
          "on River Road.", 2, Role.ADMIN),
    Story("announcement", "medical", "It's OK to ask for help",
          "Feeling low, anxious or overwhelmed is common, and it is treatable. Our counselor "
          "Hannah sees patients at the Main Office; ask any of us for an appointment. If you "
          "are in crisis, call or text **988** (Suicide & Crisis Lifeline) any time.",
          115, Role.CLINICIAN),
    Story("announcement", "non_medical", "Recipe of the month: Ben's red lentil soup",
          "Cheap, filling and ready in 30 minutes:\n\n- 1 cup red lentils\n- 1 onion, 2 "
          "carrots, 2 cloves garlic\n- 1 can tomatoes, 4 cups stock, 1 tsp cumin\n\nSimmer "
          "everything for 25 minutes and blend half. Enjoy!", 94),
    Story("office_life", "non_medical", "Team Riverside ran the Millbrook 10K",
          "Fourteen of us laced up for the river run, and everyone crossed the finish line.",
          80, pictures=(
              Picture("garden", "Staff in running gear gathered under the trees at the finish",
                      "At the finish line"),
              Picture("celebration", "Staff celebrating with medals and confetti",
                      "Medals all round"),
          )),
    Story("announcement", "medical", "Reading your lab results in the portal",
          "Lab results now appear in the patient portal as soon as a clinician has reviewed "
          "them. A result flagged high or low is not always a problem — your clinician's note "
          "explains what it means for you.", 57, Role.CLINICIAN, patients_only=True),
    Story("announcement", "medical", "Travel vaccines: plan six weeks ahead",
          "Some vaccines need several doses or time to work. Book a travel visit with Tomás at "
          "least six weeks before you leave and bring your itinerary.", 33, Role.CLINICIAN),
    Story("announcement", "non_medical", "Our new parent-and-baby mornings",
          "Every first Wednesday, new parents are welcome for coffee, a weigh-in and a chat with "
          "our nurses at the Northside Clinic.", 12, patients_only=True),
    Story("announcement", "medical", "Winter vaccine clinic dates",
          "Draft: dates to be confirmed with the Northside team.", 0, is_draft=True),
    Story("office_life", "non_medical", "Holiday card photo shoot",
          "Draft: choose the best group photo.", 0, is_draft=True),
    Story("announcement", "non_medical", "Welcome our new front-desk staff",
          "Draft: introduce our two new colleagues.", 0, Role.ADMIN, is_draft=True),
)  # fmt: skip

SPOTLIGHT_TEMPLATE = """\
**Meet {name}**, our {role_title_lower}.

{bio}

**Outside the office:** {life_outside}

**Fun fact:** {fun_fact}

[See {first_name}'s profile on our team page]({profile_url})
"""

# Comments are chosen to fit the post, so the demo reads like a real community.
COMMENTS = (
    "Thank you for sharing this!",
    "This is why we keep coming back. Thank you, Riverside!",
    "We are lucky to have you in Millbrook.",
    "Happy to see this! Keep up the great work.",
    "Thanks for the reminder!",
    "Such a friendly bunch. Thank you for everything.",
)

PHOTO_COMMENTS = (
    "Beautiful photos!",
    "Looks like a fun day!",
    "Love seeing the team like this. You all made my last visit so easy.",
    "The front desk team is the best. Always a smile.",
)

MEDICAL_COMMENTS = (
    "So helpful — I forwarded it to my mum.",
    "Great tips, thank you.",
    "Good reminder. Booking mine this week.",
    "Thanks for explaining it so clearly.",
    "Saved this for later — really useful.",
    "Thank you, this answered a question I was too shy to ask.",
    "Very clear, thank you for the practical advice.",
)

ANNOUNCEMENT_COMMENTS = (
    "Congratulations, well deserved!",
    "Wonderful news. Congratulations to everyone.",
    "Great news for the neighbourhood!",
)

SPOTLIGHT_COMMENTS = (
    "{first_name} is wonderful — so patient with my kids.",
    "We love {first_name}! Thank you for everything you do.",
    "Great to learn more about {first_name}.",
    "{first_name} always makes me feel heard. Thank you!",
)
