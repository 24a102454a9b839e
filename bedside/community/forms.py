"""Forms of the group pages; services do the validating that matters."""

from django import forms

from bedside.community.models import CrisisPolicy, ModAction, ReactionKind, Visibility


class JoinForm(forms.Form):
    accept_guidelines = forms.BooleanField(
        required=False, label="I have read the group's guidelines and will follow them"
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        label="A note for the moderators (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=160, label="Title")
    body = forms.CharField(
        max_length=10000,
        label="What would you like to share?",
        help_text="Markdown works. Others see your display name, never your real name.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    confirm_identifiers = forms.BooleanField(required=False, label="Post it as it is")


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=10000, label="Your reply", widget=forms.Textarea(attrs={"rows": 5})
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_identifiers = forms.BooleanField(required=False, label="Post it as it is")


class EditForm(forms.Form):
    title = forms.CharField(max_length=160, required=False, label="Title")
    body = forms.CharField(max_length=10000, label="Text", widget=forms.Textarea(attrs={"rows": 8}))
    confirm_identifiers = forms.BooleanField(required=False, label="Post it as it is")


class ReactForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class ReportForm(forms.Form):
    reason = forms.CharField(max_length=500, label="What is wrong with this post?")


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a.value, a.label)
            for a in (
                ModAction.APPROVE_POST,
                ModAction.HIDE,
                ModAction.REMOVE,
                ModAction.RESTORE,
                ModAction.LOCK,
                ModAction.UNLOCK,
                ModAction.PIN,
                ModAction.UNPIN,
            )
        ],
        label="Action",
    )
    reason = forms.CharField(max_length=500, label="Reason (kept in the moderation log)")


class MemberActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", "Approve"),
            ("decline", "Decline"),
            ("mute", "Mute"),
            ("ban", "Ban"),
            ("unban", "Lift ban"),
        ],
        label="Action",
    )
    reason = forms.CharField(max_length=500, required=False, label="Reason")
    days = forms.IntegerField(required=False, min_value=1, max_value=365, label="Days (mute)")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Reason")


class GroupForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name")
    description = forms.CharField(
        max_length=4000, label="Description", widget=forms.Textarea(attrs={"rows": 4})
    )
    guidelines = forms.CharField(
        max_length=8000,
        label="Guidelines",
        help_text="Members accept these when they join.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, label="Who can find it")
    crisis_policy = forms.ChoiceField(
        choices=CrisisPolicy.choices, label="A post that speaks of a crisis"
    )
    premoderate_first = forms.IntegerField(
        min_value=0,
        max_value=20,
        initial=0,
        label="Hold a new member's first posts for review",
        help_text="How many (0: none).",
    )


class CrisisResourcesForm(forms.Form):
    crisis_resources = forms.CharField(
        required=False,
        max_length=2000,
        label="Crisis resources",
        help_text="One per line, shown at once to anyone whose post speaks of a crisis. "
        "Empty: 988, 911, the Crisis Text Line and the practice phone.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
