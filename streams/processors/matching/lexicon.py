"""Word lists the pair rules rely on: cues for negation, hedging, polarity, time and speakers.

Kept as data in one place so that a reviewer can read, extend or translate them without
touching the rules in :mod:`.verdict`. Every entry is lower case; verbs are listed in their
inflected forms because the rules match surface words, not lemmas.
"""

from __future__ import annotations

#: Function words and reporting filler that carry no claim content.
STOPWORDS = frozenset(
    """
    a an the of to in on at by for from with as into onto over under about after before than then
    and or but so if while because that which who whom whose this these those there here it its
    is are was were be been being am has have had having do does did doing will would shall should
    can could may might must also just very really quite still yet already even only again too any
    he she they we i you him her them us me his hers their our my your one ones
    said says say saying told tells tell telling added adds stated states announced announces
    confirmed confirms claimed claims insisted insists noted notes explained explains according
    declared declares reported reports reportedly report statement statements wrote writes
    remarked argued argues maintained maintains stressed stresses asserted asserts
    reporters journalists interview press conference briefing media news agency
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    mr mrs ms dr sir
    """.split()
)

#: Words that flip the polarity of a clause.
NEGATION_CUES = frozenset(
    "not no never none nobody nothing neither nor without cannot isn't aren't wasn't weren't "
    "don't doesn't didn't won't wouldn't can't couldn't shouldn't hasn't haven't hadn't n't "
    "denied denies deny".split()
)

#: Two-word expressions that look negative but are not ("not only X but also Y").
NEGATION_FALSE_FRIENDS = ("not only", "no doubt", "no longer than", "not least")

#: Antonym slots: each slot name maps to (positive forms, negative forms). Two claims that
#: agree on everything but fill one slot with opposite sides are an ``antonym`` clash.
ANTONYM_SLOTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    name: (frozenset(pos.split()), frozenset(neg.split()))
    for name, pos, neg in (
        ("approve", "approve approves approved approving approval passed passes pass ratified ratify "
         "ratifies endorsed endorse endorses "
         # Accepting and approving share one slot: "accepted the offer" meets "rejected the offer".
         "accept accepts accepted accepting agree agrees agreed agreeing",
         "refuse refuses refused refusing reject rejects rejected rejecting rejection vetoed veto "
         "vetoes blocked block blocks voted_down"),
        # Raising (a rate, a price) and rising are one direction: "raised rates to 4.5%" and
        # "increased its key rate to 4.5%" are the same fact, "cut" its opposite.
        ("rise", "raise raises raised raising hike hikes hiked "
         "rise rises rose risen rising increase increases increased increasing grew grow grows "
         "growing climb climbs climbed climbing jump jumps jumped surge surged surges gain gains gained "
         "up higher", "fall falls fell fallen falling decrease decreases decreased decreasing shrank "
         "shrink shrinks shrinking drop drops dropped dropping decline declines declined declining "
         "slump slumped plunge plunged down lower "
         "cut cuts cutting lowers lowered lowering slash slashes slashed"),
        ("win", "win wins won winning victory", "lost defeat defeated beaten"),
        ("open", "open opens opened opening reopen reopens reopened reopening",
         "close closes closed closing shut shuts shutting"),
        ("support", "support supports supported supporting backs backed backing favour favours "
         "favoured favor favors favored welcome welcomes welcomed welcoming praise praised praises",
         "oppose opposes opposed opposing criticise criticised criticises criticize criticized "
         "condemn condemns condemned"),
        ("allow", "allow allows allowed allowing permit permits permitted legalise legalised legalize "
         "legalized", "ban bans banned banning prohibit prohibits prohibited forbid forbids forbade"),
        ("hire", "hire hires hired hiring recruit recruits recruited add adding "
         "create creates created", "layoff layoffs laid sack sacks "
         "sacked"),
        ("impose", "impose imposes imposed imposing", "lift lifts lifted lifting scrap scraps scrapped "
         "remove removes removed"),
        ("join", "join joins joined joining enter enters entered", "leave leaves left leaving quit quits "
         "exit exits exited withdraw withdraws withdrew withdrawn"),
        ("guilty", "guilty convicted convict convicts", "innocent acquitted acquit acquits cleared"),
        ("alive", "alive survived survive survives rescued", "dead died die dies killed"),
        ("profit", "profit profits surplus", "loss losses deficit"),
        ("legal", "legal lawful constitutional", "illegal unlawful unconstitutional"),
        ("success", "succeeded succeeds success successful", "failed fails failure unsuccessful"),
        ("start", "start starts started starting begin begins began begun resume resumes resumed",
         "end ends ended ending halt halts halted stop stops stopped suspend suspends suspended"),
    )
}

#: Slots whose clash is a position (an opinion), not a fact: two different speakers filling
#: them oppositely are disputing, which the product does not count as a contradiction.
STANCE_SLOTS = frozenset({"approve", "support"})

#: Words that make a clash a matter of position too (what someone wants, thinks, will do).
STANCE_CUES = frozenset(
    "want wants wanted acceptable unacceptable agree agrees oppose opposes support supports "
    "position view believe believes willing ready negotiate negotiations talks deal plan proposal "
    "ceasefire peace favour favor".split()
)

#: Counted things that only grow as reports come in: a larger figure published later is an update.
CUMULATIVE_CUES = frozenset(
    "toll dead deaths died killed kill injured wounded casualties victims missing arrested detained "
    "evacuated displaced rescued cases infected infections hospitalised hospitalized confirmed "
    "signatures signed donations raised votes counted total so far tally".split()
)

#: Units and counted nouns written differently for the same thing.
UNIT_SYNONYMS = {
    "percent": "%", "per": "%", "pct": "%", "troop": "soldier", "soldier": "soldier",
    "person": "people", "peoples": "people", "resident": "people", "civilian": "people",
    "dollar": "USD", "$": "USD", "usd": "USD", "euro": "EUR", "€": "EUR", "eur": "EUR",
    "pound": "GBP", "£": "GBP", "gbp": "GBP", "sterling": "GBP", "nation": "country",
    "staff": "worker", "employee": "worker", "job": "worker", "worker": "worker",
    "kilometre": "km", "kilometer": "km", "mile": "mile", "ton": "tonne", "tonne": "tonne",
}

#: Scale words: "1.2 million", "$5bn".
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}

#: Spelled-out numbers; "a dozen" and the like are handled as approximate.
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
#: Multipliers among the spelled-out numbers.
NUMBER_MULTIPLIERS = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}

#: Vague plurals: "thousands of" means at least 1,000.
VAGUE_PLURALS = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6,
                 "billions": 1e9}

#: Words before a number that make it approximate, a lower bound or an upper bound.
APPROX_CUES = frozenset("about around roughly approximately nearly almost some estimated close circa "
                        "approx c. ~".split())
LOWER_CUES = ("more than", "over", "at least", "upwards of", "in excess of", "above", "exceeding")
UPPER_CUES = ("fewer than", "less than", "under", "up to", "below", "at most")

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: Cue words of a frame with one true filler (one winner, one perpetrator, one date): two
#: sources filling it differently report incompatible facts.
EXCLUSIVE_FRAME_CUES = frozenset(
    "by won win wins winner elected appointed named responsible behind caused blamed carried "
    "headquartered born capital led leads chosen selected nominated".split()
)

#: Multi-word expressions rewritten to one word before anything else, so that "took part" meets
#: "participated" and "per cent" meets "%".
PHRASE_SYNONYMS = {
    "per cent": "percent", "percentage point": "percentage point", "take part": "participate",
    "took part": "participated", "taking part": "participating", "takes part": "participates",
    "step down": "resign", "stepped down": "resigned", "steps down": "resigns", "stepping down": "resigning",
    "lay off": "cut", "laid off": "cut", "lays off": "cuts", "laying off": "cutting",
    "give up": "surrender", "gave up": "surrendered", "given up": "surrendered", "giving up": "surrendering",
    "struck down": "overturned", "strike down": "overturn", "around the world": "worldwide",
    "per month": "a month", "per year": "a year", "a fortnight": "2 weeks", "set fire to": "burned",
    "voted down": "rejected", "vote down": "reject", "votes down": "rejects",
    "called off": "cancelled", "call off": "cancel", "calls off": "cancels", "pulled out of": "left",
    "pull out of": "leave", "pulls out of": "leaves", "handed over": "delivered", "hand over": "deliver",
    "united states": "usa", "u.s.": "usa", "united kingdom": "uk", "great britain": "uk",
    "european union": "eu", "world health organization": "who", "world health organisation": "who",
}

#: Light lexical synonyms, mapped to one representative so restatements share tokens.
SYNONYMS = {
    "factory": "plant", "facility": "plant", "shut": "close", "shuts": "close", "shutting": "close",
    "closure": "close", "troops": "soldier", "troop": "soldier", "soldiers": "soldier",
    "pledged": "promise", "pledge": "promise", "pledges": "promise", "promised": "promise",
    "vowed": "promise", "vows": "promise", "vow": "promise", "promises": "promise",
    "firm": "company", "corporation": "company",
    "nations": "country", "nation": "country", "countries": "country",
    "talks": "negotiation", "negotiations": "negotiation", "killed": "kill", "dead": "kill",
    "died": "kill", "deaths": "kill", "lawmakers": "parliament", "legislators": "parliament",
    "mps": "parliament", "parliamentary": "parliament", "attack": "strike", "attacked": "strike",
    "struck": "strike", "strikes": "strike", "hit": "strike",
    "cash": "money", "funds": "money", "funding": "money", "buy": "acquire", "bought": "acquire",
    "buys": "acquire", "acquired": "acquire", "acquires": "acquire", "purchase": "acquire",
    "purchased": "acquire", "takeover": "acquire", "jobs": "worker", "staff": "worker",
    "employees": "worker", "workers": "worker", "begin": "start", "began": "start", "begins": "start",
    "commence": "start", "launch": "start", "launched": "start", "launches": "start",
    "resigned": "resign", "quit": "resign", "stepped": "resign",
    "arrested": "arrest", "detained": "arrest", "arrests": "arrest", "detains": "arrest",
    "meeting": "meet", "met": "meet", "meets": "meet", "summit": "meet",
    "send": "deploy", "sends": "deploy", "sent": "deploy", "deployed": "deploy", "deploys": "deploy",
    "sending": "deploy", "deploying": "deploy", "airpower": "aircraft", "jets": "aircraft",
    "warplanes": "aircraft", "planes": "aircraft", "fighter": "aircraft",
    "rates": "rate",
    "prices": "price", "cost": "price", "costs": "price", "ceo": "chief", "boss": "chief",
    "executive": "chief", "administration": "government",
    "cabinet": "government", "ministry": "government", "elections": "election",
    "poll": "election", "ballot": "election", "clinic": "hospital",
    "residents": "people", "civilians": "people", "persons": "people", "citizens": "people",
    "earthquake": "quake", "tremor": "quake", "blaze": "fire", "wildfire": "fire",
    "hurt": "injured", "wounded": "injured", "blast": "explosion", "explosions": "explosion",
    "truce": "ceasefire", "armistice": "ceasefire", "vehicles": "cars", "vehicle": "car",
    "central": "centre", "center": "centre", "forces": "soldier", "force": "soldier",
    "found": "find", "detected": "find", "discovered": "find", "detects": "find", "discovers": "find",
    "finds": "find", "identified": "find", "deliver": "deploy", "delivered": "deploy",
    "delivers": "deploy", "supply": "deploy", "supplies": "deploy", "supplied": "deploy",
    "carmaker": "company", "automaker": "company", "drugmaker": "company", "chipmaker": "company",
    "insurer": "company", "retailer": "company", "lender": "company", "airline": "company",
    "houses": "home", "house": "home", "homes": "home", "snowfall": "snow", "debut": "first",
    "stage": "host", "staged": "host", "stages": "host", "hosts": "host", "hosted": "host",
    "participated": "participate", "participates": "participate", "participating": "participate",
    "protesters": "people", "demonstrators": "people", "unemployment": "jobless", "joblessness": "jobless",
    "jobless": "jobless", "nasa's": "nasa", "globally": "worldwide", "britain": "uk", "british": "uk",
    "american": "usa", "americans": "usa", "canadian": "canada", "european": "europe",
    "french": "france", "german": "germany", "russian": "russia", "ukrainian": "ukraine",
    "chinese": "china", "japanese": "japan", "spanish": "spain", "italian": "italy",
    "polish": "poland", "turkish": "turkey", "israeli": "israel", "iranian": "iran",
    "palestinian": "palestine", "uk's": "united kingdom", "dutch": "netherlands", "swedish": "sweden",
    "nigerian": "nigeria",
    "kenyan": "kenya", "indian": "india", "australian": "australia", "mexican": "mexico",
    "brazilian": "brazil", "egyptian": "egypt", "danish": "denmark", "norwegian": "norway",
    "finnish": "finland", "hungarian": "hungary", "greek": "greece", "korean": "korea",
    "percent": "%", "roughly": "about", "around": "about", "approximately": "about", "nearly": "about",
    "almost": "about", "some": "about", "estimated": "about",
}

#: Demonyms and institutions mapped to the country or body they stand for; spokespeople and
#: ministries speak for these.
AFFILIATION_ALIASES = {
    "kremlin": "russia", "russian": "russia", "moscow": "russia",
    "ukrainian": "ukraine", "kyiv": "ukraine", "kiev": "ukraine",
    "white house": "united states", "american": "united states", "us": "united states",
    "u.s.": "united states", "washington": "united states", "pentagon": "united states",
    "state department": "united states",
    "downing street": "united kingdom", "british": "united kingdom", "uk": "united kingdom",
    "britain": "united kingdom", "whitehall": "united kingdom",
    "elysee": "france", "élysée": "france", "french": "france", "paris": "france",
    "german": "germany", "berlin": "germany", "chancellery": "germany",
    "chinese": "china", "beijing": "china", "israeli": "israel", "iranian": "iran", "tehran": "iran",
    "polish": "poland", "warsaw": "poland", "turkish": "turkey", "ankara": "turkey",
    "indian": "india", "japanese": "japan", "tokyo": "japan", "italian": "italy", "rome": "italy",
    "spanish": "spain", "madrid": "spain", "canadian": "canada", "ottawa": "canada",
    "brazilian": "brazil", "mexican": "mexico", "dutch": "netherlands", "swedish": "sweden",
    "finnish": "finland", "norwegian": "norway", "danish": "denmark", "irish": "ireland",
    "australian": "australia", "european": "europe", "eu": "europe", "european union": "europe",
    "brussels": "europe", "nato": "nato", "un": "united nations", "palestinian": "palestine",
    "uk's": "united kingdom",
    "egyptian": "egypt", "saudi": "saudi arabia", "korean": "korea", "belarusian": "belarus",
    "hungarian": "hungary", "greek": "greece", "austrian": "austria", "swiss": "switzerland",
}

#: Role words that mark a speaker who speaks on behalf of someone else.
REPRESENTATIVE_CUES = frozenset(
    "spokesman spokeswoman spokesperson spokespeople press secretary aide aides representative "
    "office ministry department embassy statement government administration kremlin spokes "
    "communications adviser advisor envoy presidency palace chancellery headquarters".split()
)

#: Titles dropped from speaker names so "President Vladimir Putin" is "vladimir putin".
TITLES = frozenset(
    "president prime minister chancellor mr mrs ms dr sir lord lady general gen. secretary "
    "senator sen. rep. governor mayor king queen prince ceo chief executive chairman chairwoman "
    "minister foreign defence defense finance the".split()
)

#: Every word that can be part of a spelled-out number.
MULTIWORD_NUMBER_WORDS = frozenset(NUMBER_WORDS) | frozenset(NUMBER_MULTIPLIERS)

#: Words embeddings put close although they state different facts, as (one side, other side):
#: converses and opposites outside the antonym slots. Read only by :mod:`.semantic`, which
#: never treats a word of one side as restating a word of the other ("bought"/"sold").
OPPOSITE_WORDS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(left.split()), frozenset(right.split()))
    for left, right in (
        ("buy buys bought buying purchase purchases purchased acquire acquires acquired acquiring",
         "sell sells sold selling"),
        ("buyer buyers purchaser purchasers", "seller sellers vendor vendors"),
        ("lend lends lent lending lender lenders", "borrow borrows borrowed borrowing borrower borrowers"),
        ("build builds built building construct constructs constructed constructing",
         "demolish demolishes demolished demolishing raze razed"),
        ("arrive arrives arrived arriving arrival", "depart departs departed departing departure"),
        ("hire hires hired hiring", "fire fires fired firing dismiss dismisses dismissed"),
        ("attack attacks attacked attacking", "defend defends defended defending defence defense"),
        ("highest biggest largest best top strongest most maximum",
         "lowest smallest worst bottom weakest least minimum"),
        ("early earlier earliest", "late later latest"),
        ("more", "less fewer"),
        ("teacher teachers", "pupil pupils student students"),
        ("employer employers", "employee employees worker workers staff"),
        ("landlord landlords", "tenant tenants"),
        ("profit profits earnings", "revenue revenues sales turnover"),
        ("winner winners", "loser losers runner-up"),
    )
)

#: Groups of words for different things of one kind: any two members are different facts
#: however close their embeddings ("town"/"village" 0.60, "husband"/"wife" 0.70). Read only
#: by :mod:`.semantic`; days and months are compared as times elsewhere.
DISTINCT_KINDS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "man men woman women boy boys girl girls male female",
        "husband wife son daughter brother sister mother father uncle aunt grandson granddaughter",
        "king queen prince princess",
        "adult adults child children teenager teenagers",
        "doctor doctors nurse nurses patient patients",
        "town village city county province country continent district",
        "hour day week month year decade century quarter season",
        "daily weekly monthly quarterly annual",
        "first second third fourth fifth last",
        "north south east west northern southern eastern western",
        "gold silver bronze",
        "morning afternoon evening night",
        "domestic foreign international",
        "private public",
        "senior junior",
        "upper lower",
        "minor major",
        "before after during",
        "inside outside",
        "double triple quadruple halve half",
        "oil gas coal petrol diesel",
        "wheat maize barley rice soya",
    )
)

#: Prefix pairs that make opposite words of one stem ("imports"/"exports", "legal"/"illegal").
OPPOSING_PREFIXES: tuple[tuple[str, str], ...] = (
    ("im", "ex"), ("in", "ex"), ("in", "out"), ("in", "de"), ("up", "down"), ("over", "under"),
    ("pre", "post"), ("pro", "anti"), ("max", "min"),
    ("", "un"), ("", "in"), ("", "im"), ("", "il"), ("", "ir"), ("", "dis"), ("", "non"), ("", "de"),
)
