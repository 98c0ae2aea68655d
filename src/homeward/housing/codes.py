"""Codes for supported housing, defined once with human labels."""

from __future__ import annotations

from django.db import models


class SchemeType(models.TextChoices):
    HOSTEL = "hostel", "Homeless hostel or supported accommodation"
    FOYER = "foyer", "Young people's foyer"
    REFUGE = "refuge", "Refuge"
    EXTRA_CARE = "extra_care", "Extra care"
    SHELTERED = "sheltered", "Sheltered housing"
    HOUSING_FIRST = "housing_first", "Housing First"


class Staffing(models.TextChoices):
    ROUND_THE_CLOCK = "24_7", "Staffed 24 hours a day, 7 days a week"
    DAYTIME = "day", "Staffed in the day"
    VISITING = "visiting", "Visiting support"


class UnitStatus(models.TextChoices):
    """A unit's state when nobody lives in it; "occupied" is worked out from the stays (`Occupancy`)."""

    READY_TO_LET = "ready_to_let", "Ready to let"
    VOID = "void", "Void"
    OUT_OF_USE = "out_of_use", "Out of use"


class VoidReason(models.TextChoices):
    TURNAROUND = "turnaround", "Cleaning and repairs after a resident left"
    AWAITING_REFERRAL = "awaiting_referral", "Waiting for a suitable referral"
    OFFER_MADE = "offer_made", "Offered, waiting for the person to arrive"
    REPAIRS = "repairs", "Major repairs"
    OTHER = "other", "Other"


class PlacementSource(models.TextChoices):
    HOMELESSNESS_TEAM = "homelessness_team", "Council homelessness team"
    HOSPITAL = "hospital", "Hospital discharge (Hospital to Home)"
    PROBATION = "probation", "Probation"
    OUTREACH = "outreach", "Street outreach"
    SELF = "self", "Self-referral"


class PlacementStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ASSESSED = "assessed", "Eligible: risk checked"
    OFFERED = "offered", "Offered a place"
    ACCEPTED = "accepted", "Offer accepted"
    RESIDENT = "resident", "Living in the scheme"
    MOVED_ON = "moved_on", "Left the scheme"
    DECLINED = "declined", "Offer declined"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class DeclineReason(models.TextChoices):
    """Who declined an offer, and why."""

    PERSON_LOCATION = "person_location", "The person declined: location"
    PERSON_SHARED = "person_shared", "The person declined: shared facilities or rules"
    PERSON_OTHER_HOUSING = "person_other_housing", "The person found other housing"
    SCHEME_RISK = "scheme_risk", "The scheme declined: risk could not be managed"
    SCHEME_NEEDS = "scheme_needs", "The scheme declined: needs too high for the support on site"
    NO_CONTACT = "no_contact", "Could not contact the person"


class Occupation(models.TextChoices):
    """The right to occupy the unit."""

    LICENCE = "licence", "Licence to occupy"
    ASSURED_SHORTHOLD = "assured_shorthold", "Assured shorthold tenancy"
    ASSURED = "assured", "Assured tenancy"
    STARTER = "starter", "Starter (introductory) tenancy"
    SECURE = "secure", "Secure tenancy"


class SupportArea(models.TextChoices):
    """The areas key work covers in a supported-housing stay (issue 19)."""

    PHYSICAL_HEALTH = "physical_health", "Physical health"
    MENTAL_HEALTH = "mental_health", "Mental health and wellbeing"
    SUBSTANCE_MISUSE = "substance_misuse", "Drugs and alcohol"
    WORK_TRAINING = "work_training", "Work, training and volunteering"
    MEANINGFUL_ACTIVITY = "meaningful_activity", "Meaningful activity"
    OFFENDING = "offending", "Offending"
    INDEPENDENT_LIVING = "independent_living", "Independent-living skills (money, cooking, tenancy)"


class GoalProgress(models.TextChoices):
    AGREED = "agreed", "Agreed"
    WORKING = "working", "Working on it"
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class Readiness(models.TextChoices):
    """How ready the resident is to move on, agreed at a review."""

    NOT_YET = "not_yet", "Not ready yet"
    PREPARING = "preparing", "Preparing to move on"
    READY = "ready", "Ready to move on: looking for a home"


class MoveOnDestination(models.TextChoices):
    INDEPENDENT_TENANCY = "independent_tenancy", "Own tenancy (social or private)"
    SUPPORTED_MOVE_ON = "supported_move_on", "Another supported scheme or move-on housing"
    FAMILY = "family", "Family or friends"
    CARE = "care", "Residential or nursing care"
    HOSPITAL = "hospital", "Hospital"
    CUSTODY = "custody", "Prison or custody"
    ROUGH_SLEEPING = "rough_sleeping", "Sleeping rough"
    UNKNOWN = "unknown", "Not known"
    DIED = "died", "Died"


class DepartureReason(models.TextChoices):
    PLANNED = "planned", "Planned move-on"
    EVICTED = "evicted", "Evicted (licence or tenancy ended by the scheme)"
    ABANDONED = "abandoned", "Abandoned the unit"
    CUSTODY = "custody", "Went into custody"
    HOSPITAL = "hospital", "Admitted to hospital long term"
    DIED = "died", "Died"


PLANNED_REASONS = (DepartureReason.PLANNED,)


class FollowUpResult(models.TextChoices):
    STILL_HOUSED = "still_housed", "Still housed"
    NOT_HOUSED = "not_housed", "No longer housed"
    RETURNED = "returned", "Returned to supported housing"
    LOST = "lost", "Could not be contacted"


class HomeTopic(models.TextChoices):
    """What a "stay or move?" conversation asks about the current home, in Homeward's own words (not a
    licensed questionnaire)."""

    SPACE = "space", "Space and layout"
    GETTING_AROUND = "getting_around", "Getting around the home (stairs, steps, bathroom)"
    WARMTH = "warmth", "Warmth and running costs"
    REPAIRS = "repairs", "Repairs and upkeep"
    SAFETY = "safety", "Feeling safe and secure"
    LOCATION = "location", "Where it is, and getting out"
    CARE = "care", "Care and support"
    COMPANY = "company", "Company and loneliness"


#: How well each topic works for the person now: 0 (works well) to 4 (a real problem).
TOPIC_SCALE = {0: "Works well", 1: "Mostly fine", 2: "Some difficulty", 3: "Hard", 4: "A real problem"}


class HousingOption(models.TextChoices):
    ADAPT = "adapt", "Adapt the home (adaptations case)"
    SHELTERED = "sheltered", "Move to sheltered housing"
    EXTRA_CARE = "extra_care", "Move to extra care"
    RIGHTSIZE = "rightsize", "Move to a smaller or better-suited home (transfer or rightsizing)"
    STAY_WITH_SUPPORT = "stay_with_support", "Stay, with support (referrals)"
    NO_CHANGE = "no_change", "No change for now"


#: Which options can answer a topic that is hard for the person: the reasons shown with each proposed option.
TOPIC_OPTIONS: dict[str, tuple[str, ...]] = {
    "space": ("rightsize", "sheltered"),
    "getting_around": ("adapt", "rightsize", "extra_care"),
    "warmth": ("stay_with_support", "rightsize"),
    "repairs": ("stay_with_support", "rightsize"),
    "safety": ("adapt", "sheltered", "stay_with_support"),
    "location": ("rightsize", "sheltered"),
    "care": ("extra_care", "stay_with_support"),
    "company": ("sheltered", "extra_care", "stay_with_support"),
}


class OptionsOutcome(models.TextChoices):
    """What had happened at the follow-up six months after an options conversation's decision."""

    MOVED = "moved", "Moved"
    ADAPTED = "adapted", "Home adapted"
    STAYED_WITH_SUPPORT = "stayed_with_support", "Stayed, with support"
    NO_CHANGE = "no_change", "No change"
    LOST = "lost", "Lost to follow-up"


#: Decisions that intend a move or an adaptation (for the KPI when no follow-up is recorded yet).
MOVE_OR_ADAPT = ("adapt", "sheltered", "extra_care", "rightsize")


#: How many topics the person ranks as mattering most.
RANKED_TOPICS = 3


class NeighbourhoodAction(models.TextChoices):
    """Light-touch help the people and place team gives itself."""

    GP_VISIT = "gp_visit", "Go with them to the GP"
    TENANCY_SUSTAINMENT = "tenancy_sustainment", "Tenancy sustainment visit"


class PeoplePlaceHelp(models.TextChoices):
    """What a people and place (neighbourhood) case is for: light-touch help for a tenant."""

    GP_VISIT = "gp_visit", "Go with them to the GP"
    ADAPTATIONS = "adaptations", "Refer for adaptations"
    MONEY_ADVICE = "money_advice", "Refer to money advice"
    TENANCY_SUSTAINMENT = "tenancy_sustainment", "Tenancy sustainment"


class PeoplePlaceOutcome(models.TextChoices):
    HELPED = "helped", "Helped: the need was met"
    REFERRED_ON = "referred_on", "Referred on to another service"
    DECLINED = "declined", "The tenant did not want help"
    NO_CONTACT = "no_contact", "Could not make contact"


class OutcomeDomain(models.TextChoices):
    """The five open outcome domains of the former Supporting People outcomes framework (as issue 19 names
    them): they group needs at the assessment and outcomes at review. Labels only; no scoring is shipped."""

    ECONOMIC_WELLBEING = "economic_wellbeing", "Economic wellbeing"
    ENJOY_AND_ACHIEVE = "enjoy_and_achieve", "Enjoy and achieve"
    BE_HEALTHY = "be_healthy", "Be healthy"
    STAY_SAFE = "stay_safe", "Stay safe"
    POSITIVE_CONTRIBUTION = "positive_contribution", "Make a positive contribution"


class NeedLevel(models.TextChoices):
    """How much support the resident needs in a domain, agreed with them at the assessment."""

    NONE = "none", "No support needed"
    SOME = "some", "Some support"
    HIGH = "high", "A lot of support"


class DomainOutcome(models.TextChoices):
    """At a review: how far the need in a domain has been met."""

    MET = "met", "Need met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not_met", "Not met"


class RiskTo(models.TextChoices):
    SELF = "self", "To the resident"
    OTHERS = "others", "To other people"


class RiskCategory(models.TextChoices):
    SELF_HARM = "self_harm", "Self-harm or suicide"
    OVERDOSE = "overdose", "Overdose"
    SELF_NEGLECT = "self_neglect", "Self-neglect"
    EXPLOITATION = "exploitation", "Being exploited or abused"
    VIOLENCE = "violence", "Violence or aggression"
    FIRE = "fire", "Fire setting or fire safety"
    OFFENDING = "offending", "Offending"
    FALLS = "falls", "Falls"
    OTHER = "other", "Other"


class ActivityKind(models.TextChoices):
    GYM = "gym", "Gym or exercise"
    TRAINING = "training", "Training or education (CV writing, courses)"
    VOLUNTEERING = "volunteering", "Volunteering"
    GROUP = "group", "Group (recovery, peer support, social)"
    SKILLS = "skills", "Independent-living skills (cooking, budgeting)"
    OTHER = "other", "Other"


class Shift(models.TextChoices):
    EARLY = "early", "Early"
    LATE = "late", "Late"
    NIGHT = "night", "Night"


class IncidentKind(models.TextChoices):
    VIOLENCE = "violence", "Violence or assault"
    THREAT = "threat", "Threats or abuse"
    SELF_HARM = "self_harm", "Self-harm"
    OVERDOSE = "overdose", "Overdose or suspected overdose"
    MEDICAL = "medical", "Medical emergency"
    FIRE = "fire", "Fire or false alarm"
    DAMAGE = "damage", "Damage to property"
    MISSING = "missing", "Resident missing"
    ANTISOCIAL = "antisocial", "Antisocial behaviour"
    OTHER = "other", "Other"


class WelfareOutcome(models.TextChoices):
    SEEN_WELL = "seen_well", "Seen: well"
    SEEN_CONCERN = "seen_concern", "Seen: a concern (say what)"
    NO_ANSWER = "no_answer", "No answer: escalated"
    REFUSED = "refused", "Declined the check"
    AWAY = "away", "Away from the scheme (known)"


class FeedbackKind(models.TextChoices):
    """What a resident or visitor told the scheme (Homeward's own words)."""

    COMPLIMENT = "compliment", "Compliment"
    SUGGESTION = "suggestion", "Suggestion"
    COMPLAINT = "complaint", "Complaint"


class FeedbackFrom(models.TextChoices):
    RESIDENT = "resident", "A resident"
    FORMER_RESIDENT = "former_resident", "A former resident"
    VISITOR = "visitor", "A visitor, family member or friend"
    OTHER = "other", "Someone else (a neighbour, a professional)"
