"""Who is in the demo: its organisations, hospitals and the logins (one per role), all synthetic."""

from __future__ import annotations

from dataclasses import dataclass

from homeward.core.models import OrganisationKind, WardKind
from homeward.core.roles import Role

DEMO_PASSWORD = "homeward-demo-2026"
DEMO_SEED = 20261125
SUPERUSER = "admin-super"
PROPERTIES = 300

TRUST = "Northgate Teaching Hospitals NHS Foundation Trust"
HOUSING = "Riverside Homes"
COUNCIL = "Northgate Metropolitan Borough Council"
CARE = "Brightwater Home Care"
VOLUNTARY = "Northgate Care and Repair"
GP = "Millbrook Medical Practice"
ICB = "NHS Northgate and District Integrated Care Board"
LINKS = "Northgate Community Links"

# (name, kind, ODS-like code, teams). Codes are made up and shaped like ODS codes.
ORGANISATIONS: list[tuple[str, str, str, list[str]]] = [
    (TRUST, OrganisationKind.NHS_TRUST, "R9N", ["Discharge hub", "Emergency department", "Ward 7"]),
    (HOUSING, OrganisationKind.HOUSING_PROVIDER, "", ["Hospital to Home team", "Tenancy sustainment"]),
    (COUNCIL, OrganisationKind.LOCAL_AUTHORITY, "", ["Housing Options", "Adult social care"]),
    (CARE, OrganisationKind.CARE_PROVIDER, "", ["Reablement"]),
    (VOLUNTARY, OrganisationKind.VOLUNTARY_SECTOR, "", ["Handyperson service"]),
    (GP, OrganisationKind.GP_PRACTICE, "Y99901", ["Practice team"]),
    (ICB, OrganisationKind.ICB, "Q9N", ["Population health analytics", "Commissioning"]),
    (LINKS, OrganisationKind.VOLUNTARY_SECTOR, "", ["Social prescribing link workers"]),
]

HOSPITALS: list[tuple[str, str, list[tuple[str, str, int]]]] = [
    (
        "Northgate General Hospital",
        "R9N01",
        [
            ("Acute Medical Unit", WardKind.ACUTE, 36),
            ("Ward 4 (general surgery)", WardKind.ACUTE, 28),
            ("Ward 7 (care of older people)", WardKind.ELDERLY, 28),
            ("Emergency Department", WardKind.EMERGENCY, 24),
            ("Discharge Lounge", WardKind.DISCHARGE_HUB, 12),
        ],
    ),
    (
        "Millbrook Community Hospital",
        "R9N02",
        [
            ("Oak Ward (frailty and rehabilitation)", WardKind.ELDERLY, 24),
            ("Larch Ward (adult mental health)", WardKind.MENTAL_HEALTH, 20),
        ],
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    team: str
    first_name: str
    last_name: str
    job_title: str


# One demo user per role; `teamlead` also works for the council, to show the organisation switcher.
DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("clinician", Role.CLINICIAN, TRUST, "Ward 7", "Priya", "Shah", "Ward sister, Ward 7"),
    DemoLogin(
        "caseworker", Role.CASEWORKER, HOUSING, "Hospital to Home team", "Dan", "Walsh", "Housing officer"
    ),
    DemoLogin(
        "teamlead", Role.TEAM_LEAD, HOUSING, "Hospital to Home team", "Grace", "Okafor", "Service manager"
    ),
    DemoLogin("teamlead", Role.TEAM_LEAD, COUNCIL, "Housing Options", "Grace", "Okafor", "Service manager"),
    DemoLogin("carehome", Role.CASEWORKER, CARE, "Reablement", "Ada", "Mensah", "Care home manager"),
    DemoLogin("partner", Role.PARTNER, VOLUNTARY, "Handyperson service", "Sam", "Kowalski", "Caseworker"),
    DemoLogin("analyst", Role.ANALYST, ICB, "Population health analytics", "Ravi", "Patel", "Data analyst"),
    DemoLogin("igofficer", Role.IG_OFFICER, TRUST, "", "Helen", "Brooks", "Data protection officer"),
    DemoLogin("orgadmin", Role.ADMIN, HOUSING, "", "Tom", "Fletcher", "Systems administrator"),
    DemoLogin("gp", Role.CLINICIAN, GP, "Practice team", "Iain", "Campbell", "GP partner"),
    DemoLogin(
        "linkworker",
        Role.CASEWORKER,
        LINKS,
        "Social prescribing link workers",
        "Amara",
        "Nwosu",
        "Link worker",
    ),
    DemoLogin(
        "linklead",
        Role.TEAM_LEAD,
        LINKS,
        "Social prescribing link workers",
        "Joy",
        "Adeyemi",
        "Social prescribing manager",
    ),
    DemoLogin(
        "commissioner", Role.COMMISSIONER, ICB, "Commissioning", "Fiona", "Reid", "Commissioning manager"
    ),
]
