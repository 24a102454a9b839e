"""Three support groups at Riverside, made through the community services.

A public diabetes circle with conversations, a private group for cancer survivors where
one patient's request to join waits for the moderator (the demo patient may ask too), and
a hidden caregivers' group whose members were invited. Every post goes through the same
screening and rules the pages use.
"""

from bedside.community.models import Group, PostStatus, Visibility
from bedside.community.services import (
    create_group,
    decide_join_request,
    follow_thread,
    invite_to_group,
    join_group,
    post_reply,
    start_thread,
    toggle_reaction,
)
from bedside.demo import riverside
from bedside.practices.models import Membership, Practice, Role, User

Conversation = tuple[str, str, tuple[str, ...]]

GUIDELINES = """\
- Be kind. Everyone here is going through something.
- Share your experience, not medical advice: ask your care team about treatment.
- Keep private what is shared here.
- If you are in crisis, call or text 988, or call 911 in an emergency.
"""

DIABETES_THREADS: tuple[Conversation, ...] = (
    (
        "What do you eat for breakfast?",
        "Mornings are my hardest time for blood sugar. What breakfasts work for you?",
        (
            "Eggs and spinach most days. Oatmeal sends me way up.",
            "Greek yogurt with a few berries and nuts. Walking after breakfast helps too.",
            "Thank you both, I'll try the walk tomorrow.",
        ),
    ),
    (
        "New to insulin and a bit scared",
        "I started insulin last week. The needles scare me more than I expected.",
        (
            "It gets easier, I promise. The pen needles are tiny.",
            "Ask the nurse to watch you do one. That helped me so much.",
        ),
    ),
)
CANCER_THREADS: tuple[Conversation, ...] = (
    (
        "Five years clear today",
        "Today is five years since my last treatment. Thinking of everyone still in it.",
        ("Congratulations! That gives me hope.", "So happy for you."),
    ),
)
CAREGIVER_THREADS: tuple[Conversation, ...] = (
    (
        "Taking a break without guilt",
        "How do you find time for yourself when caring for a parent?",
        ("Respite care twice a month changed everything for us.",),
    ),
)


def _seat(user: User, practice: Practice) -> Membership:
    return Membership.objects.get(user=user, practice=practice)


def _converse(
    group: Group, people: list[User], threads: tuple[Conversation, ...], offset: int = 0
) -> None:
    for index, (title, body, replies) in enumerate(threads):
        author = people[(index + offset) % len(people)]
        thread = start_thread(by=author, group=group, title=title, body=body).thread
        for number, text in enumerate(replies):
            replier = people[(index + offset + number + 1) % len(people)]
            reply = post_reply(by=replier, thread=thread, body=text).reply
            if reply is not None and reply.status == PostStatus.PUBLISHED:
                toggle_reaction(by=author, post=reply, kind="helpful" if number else "hug")
        follow_thread(by=people[(index + offset + 2) % len(people)], thread=thread, follow=True)


def add_support_groups() -> list[Group]:
    practice = Practice.objects.get(slug=riverside.SLUG)
    by_role = {
        seat.role: seat.user
        for seat in Membership.objects.select_related("user").filter(practice=practice)
        if seat.role != Role.PATIENT
    }
    editor, moderator = by_role[Role.EDITOR], by_role[Role.MODERATOR]
    demo_patient = riverside.LOGINS[-1].email
    patients = list(
        User.objects.filter(memberships__practice=practice, memberships__role=Role.PATIENT)
        .exclude(email=demo_patient)
        .order_by("pk")[:10]
    )
    diabetes = create_group(
        by=editor,
        practice=practice,
        name="Living with diabetes",
        description="Everyday life with type 1 or type 2 diabetes: food, tools, and moods.",
        guidelines=GUIDELINES,
        visibility=Visibility.PUBLIC,
    )
    survivors = create_group(
        by=editor,
        practice=practice,
        name="Cancer survivors",
        description="A private circle for people after cancer treatment. Ask to join.",
        guidelines=GUIDELINES,
        visibility=Visibility.PRIVATE,
    )
    caregivers = create_group(
        by=editor,
        practice=practice,
        name="Caregivers",
        description="For people caring for a family member. By invitation.",
        guidelines=GUIDELINES,
        visibility=Visibility.HIDDEN,
        premoderate_first=1,
    )
    for patient in patients[:6]:
        join_group(user=patient, group=diabetes, accept_guidelines=True)
    _converse(diabetes, patients[:6], DIABETES_THREADS)

    for patient in patients[3:7]:
        request = join_group(user=patient, group=survivors, accept_guidelines=True)
        decide_join_request(by=moderator, member=request, approve=True, reason="Welcome")
    _converse(survivors, patients[3:7], CANCER_THREADS)
    join_group(
        user=patients[8],
        group=survivors,
        accept_guidelines=True,
        note="I finished chemotherapy in the spring.",
    )

    for patient in patients[6:9]:
        invite_to_group(by=moderator, group=caregivers, membership=_seat(patient, practice))
        join_group(user=patient, group=caregivers, accept_guidelines=True)
    invite_to_group(by=moderator, group=caregivers, membership=_seat(moderator, practice))
    join_group(user=moderator, group=caregivers, accept_guidelines=True)
    _converse(caregivers, [moderator, *patients[6:9]], CAREGIVER_THREADS)
    return [diabetes, survivors, caregivers]
