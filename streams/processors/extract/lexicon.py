"""Word lists shared by the rule modules: titles, honorifics, function words.

Kept in one place so that the speaker, entity and attribution rules agree on what a title
or a sentence-initial function word is.
"""

from __future__ import annotations

# Titles that may stand between a role modifier ("Russian", "Kremlin") and a name.
TITLE_WORDS = (
    "Prime Minister", "Vice President", "Vice-President", "Foreign Minister", "Foreign Secretary",
    "Home Secretary", "Defence Secretary", "Defense Secretary", "Health Secretary", "Secretary of State",
    "Secretary-General", "Secretary General", "Chief Executive", "chief executive", "chief economist",
    "Chief Constable", "Detective Inspector", "Chief Inspector", "police chief", "head coach",
    "President", "Premier", "Chancellor", "Minister", "Secretary", "Senator", "Sen.", "Rep.",
    "Representative", "Governor", "Gov.", "Mayor", "Ambassador", "General", "Gen.", "Colonel",
    "Admiral", "Commissioner", "Chairman", "Chairwoman", "Chair", "CEO", "Director", "Professor",
    "Judge", "Justice", "King", "Queen", "Prince", "Princess", "Pope", "Archbishop", "Bishop",
    "Speaker", "Leader", "Inspector", "Superintendent", "Sergeant", "Councillor", "Cllr", "MP", "MEP",
    "Coach", "Manager", "Captain", "Spokesman", "Spokeswoman", "Spokesperson",
    "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "manager", "coach",
    "striker", "midfielder", "defender", "goalkeeper", "captain", "winger", "forward", "boss",
    "economist", "analyst", "professor", "lecturer", "researcher", "scientist", "director",
    "minister", "secretary", "president", "founder", "chief", "leader", "governor", "mayor",
    "senator", "official", "lawyer", "prosecutor", "judge", "commander", "councillor", "author",
    "editor", "executive", "negotiator", "envoy", "adviser", "advisor", "owner", "head teacher",
    "headteacher", "headmaster", "principal", "inspector", "superintendent", "sergeant", "detective",
    "astronomer", "physicist", "biologist", "epidemiologist", "doctor", "surgeon", "nurse",
    "forecaster", "meteorologist", "barrister", "solicitor", "attorney", "counsel", "coroner", "member",
    "representative",
    # Offices and ranks written lowercase after "the" ("the chancellor said") as news style has it.
    "chancellor", "premier", "ambassador", "commissioner", "general", "colonel", "admiral",
    "archbishop", "bishop", "king", "queen", "prince", "princess", "pope", "chairwoman",
    # British undotted abbreviations of ranks ("Gen Musharraf", "Det Supt Ann Lowe").
    "Gen", "Lt", "Col", "Maj", "Capt", "Brig", "Adm", "Sgt", "Cpl", "Supt", "Insp", "Det",
)

# The ranks the undotted abbreviations above stand for: "Gen Musharraf" is "the general".
RANK_ABBREVIATIONS = {
    "Gen": "general", "Lt": "lieutenant", "Col": "colonel", "Maj": "major", "Capt": "captain",
    "Brig": "brigadier", "Adm": "admiral", "Sgt": "sergeant", "Cpl": "corporal", "Supt": "superintendent",
    "Insp": "inspector", "Det": "detective",
}

SPOKES_WORDS = frozenset({"spokesman", "spokeswoman", "spokesperson"})

# Offices and ranks with one holder in a body ("the chancellor", "the general"), royal and church
# titles, and the words of multi-word offices: an office left unresolved in an article stays the
# speaker, and the store joins it to the holder another article ties it to. It holds the store's
# office words (store/identities.py: a test keeps them together). A title word outside it describes
# a person ("the defender", "the lawyer") and names nobody across articles.
OFFICE_WORDS = frozenset(
    """president vice premier prime minister secretary chancellor foreign home defence defense
    health justice general gen attorney senator sen governor gov mayor ambassador commissioner
    chairman chairwoman chair speaker judge colonel col lieutenant lt major maj captain capt
    brigadier brig corporal cpl sergeant sgt admiral adm commander commodore marshal
    inspector insp superintendent supt detective det chief constable councillor cllr
    representative rep deputy acting shadow former state
    king queen prince princess pope archbishop bishop""".split()
)

# Lowercase words that may precede a title: "former Prime Minister", "deputy chief executive".
ROLE_PREMODIFIERS = (
    "former", "deputy", "acting", "interim", "senior", "chief", "vice", "assistant", "shadow",
    "outgoing", "incoming", "junior", "lead", "top", "then", "new", "club", "team", "party", "state",
    "health", "finance", "foreign", "defence", "defense", "trade", "economy", "transport", "education",
    "union", "opposition", "council", "company", "campaign", "group", "police", "government", "mission",
    "operations", "festival", "report", "study", "research",
)

HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "Baroness", "Baron")
# Titles that are part of how a person is named ("Sir Edward Leigh", "Lord Falconer"): kept in the
# speaker's name, unlike Mr/Dr, and a lord is known by title and one name alone.
NAME_TITLES = frozenset({"Sir", "Dame", "Lord", "Lady", "Baroness", "Baron"})
#: Letters written after a name: a seat ("MP", "MSP"), a rank at the bar ("QC"), an honour ("OBE").
POST_NOMINALS = frozenset({"MP", "MSP", "MEP", "AM", "MLA", "TD", "QC", "KC", "OBE", "MBE", "CBE", "KBE",
                           "DBE", "PhD"})

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The words a newspaper's title ends with ("The Sunday Times", "the Sunday Business").
NEWSPAPER_HEADS = (
    "Times", "Telegraph", "Herald", "Mirror", "Express", "Post", "Mail", "People", "Sport", "Business",
    "Independent", "Observer", "Tribune", "Star", "Standard", "Record", "Journal", "Gazette", "Chronicle",
    "Sun", "Mercury", "Argus", "News",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)

# Capitalised words that start sentences or clauses but never names.
NOT_NAME_WORDS = (
    "The", "A", "An", "But", "And", "Or", "So", "Yet", "Still", "However", "In", "On", "At", "For",
    "With", "After", "Before", "When", "While", "As", "If", "Last", "This", "That", "These", "Those",
    "Then", "Now", "It", "He", "She", "They", "We", "I", "His", "Her", "Their", "Our", "Its", "My",
    "There", "Here", "What", "Who", "Why", "How", "Where", "Which", "Although", "Though", "Despite",
    "Meanwhile", "Also", "Earlier", "Later", "By", "From", "To", "Of", "According", "Some", "Many",
    "Most", "No", "Not", "All", "Both", "Each", "Every", "One", "Two", "Three", "Under", "Over",
    "Since", "Until", "During", "Among", "Between", "Against", "Instead", "Asked", "Speaking",
    "Former", "Fellow",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    *WEEKDAYS, *(m for m in MONTHS if m != "May"),
)

# Nationality adjectives: capitalised, but modifiers rather than entities.
DEMONYMS = frozenset(
    """American Russian Ukrainian French British English Scottish Welsh Irish German Italian Spanish
    Chinese Japanese Indian Israeli Palestinian Iranian Iraqi Syrian Turkish Polish Dutch Belgian Swiss
    Swedish Norwegian Danish Finnish European Western Eastern Northern Southern African Asian Arab
    Canadian Australian Brazilian Mexican Korean Greek Portuguese Austrian Hungarian Czech Nigerian
    Kenyan Egyptian Saudi Pakistani Afghan Soviet Latin Catholic Muslim Christian Jewish Republican
    Democratic Democrat Conservative Labour Tory Liberal Green""".split()
)

# Nouns that make a capitalised phrase an organisation rather than a person.
ORG_WORDS = frozenset(
    """House Street Ministry Department Office Bank Council Party Commission Union Court Police Agency
    Group Inc Ltd Plc plc Corp Corporation Company Co University College School Hospital Club United
    City FC Institute Association Federation Foundation Trust Service Authority Board Committee Fund
    Organisation Organization Parliament Congress Senate Government Army Navy Force Forces Times News
    Post Journal Network Airlines Airways Motors Systems Labs Kremlin Pentagon Commons Assembly
    Coalition Council Society Centre Center Museum Station Airport Press Reuters AFP BBC NHS
    Observatory Institution Laboratory Alliance Partnership Bureau Tribunal
    Steel Metals Mining Energy Oil Gas Power Utilities Foods Pharmaceuticals Pharma Biologics
    Therapeutics Holdings Industries Technologies Software Electronics Semiconductors Telecom
    Telecoms Insurance Capital Partners Media Studios Logistics Shipping Railways Chemicals
    Automotive Aerospace Robotics Engineering Construction Brewery Retail""".split()
)

# Groups that speak collectively: "officials said", "police said".
GROUP_WORDS = (
    "officials", "police", "analysts", "experts", "economists", "researchers", "scientists",
    "prosecutors", "critics", "campaigners", "witnesses", "residents", "doctors", "sources",
    "investigators", "authorities", "organisers", "organizers", "lawyers", "diplomats", "protesters",
    "unions", "ministers", "MPs", "officers", "firefighters", "paramedics", "engineers", "teachers",
    # Sources news writers quote collectively; plural person nouns, never names.
    "traders", "forecasters", "developers", "groups", "shareholders", "regulators", "inspectors",
    "detectives", "activists", "academics", "observers", "insiders", "executives", "negotiators",
    "meteorologists", "epidemiologists", "physicians", "nurses", "midwives", "farmers", "fishermen",
    "landlords", "tenants", "bankers", "investors", "strategists", "pollsters", "auditors",
)

# Nouns standing for an organisation already named ("the company said").
ORG_DESCRIPTORS = frozenset(
    """company firm group club council ministry department government agency bank retailer airline
    carrier manufacturer regulator watchdog union party charity hospital school university court
    authority board trust airport operator insurer lender maker brewer broadcaster newspaper supermarket
    chain startup watchdog observatory institute inquest inquiry tribunal hearing""".split()
)

# Functional descriptors and the name heads of the bodies they describe: "the regulator" may be
# the "Medicines Safety Agency" just named, never the drug firm it regulates.
KIND_EQUIVALENTS = {
    "regulator": frozenset({"agency", "authority", "commission", "office", "board", "watchdog"}),
    "watchdog": frozenset({"agency", "authority", "commission", "office", "board", "regulator"}),
    "court": frozenset({"tribunal"}),
    "carrier": frozenset({"airline", "airlines", "airways"}),
    "airline": frozenset({"carrier", "airlines", "airways"}),
}

# Descriptors that fit any organisation, so "the company" is the last organisation named,
# whatever kind it was introduced as ("retailer Larchfield ... the company said").
GENERIC_ORG_DESCRIPTORS = frozenset({"company", "firm", "group", "organisation", "organization", "business"})
# The kinds of organisation that are companies: "the airline" may be a company the article named
# with no kind ("Delta said ... the airline"); "the union", "the party" or "the court" may not.
BUSINESS_DESCRIPTORS = frozenset(
    """company firm group business bank retailer airline carrier manufacturer insurer lender maker
    brewer broadcaster supermarket chain startup operator""".split()
)

# Figures and books, which a lowercase phrase cites without saying who issued them ("according
# to official figures", "studio estimates", "a new book"): no one speaks through them.
SOURCELESS_HEADS = frozenset({"figures", "estimates", "statistics", "data", "research", "book"})

# Documents that speak for whoever issued them ("the report said", "the statement said").
DOCUMENT_WORDS = frozenset(
    {"report", "study", "statement", "survey", "paper", "review", "analysis", "audit", "letter", "filing"}
)
