"""Word lists the pair rules rely on: cues for negation, hedging, polarity, time and speakers.

Kept as data in one place so that a reviewer can read, extend or translate them without
touching the rules in :mod:`.verdict`. Every entry is lower case; verbs are listed in their
inflected forms because the rules match surface words, not lemmas.
"""

from __future__ import annotations

from factstream.processors.extract.numbers import NUMBER_WORDS as EXTRACT_NUMBER_WORDS
from factstream.processors.extract.numbers import SCALE_WORDS as EXTRACT_SCALE_WORDS

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
    through across throughout during via amid
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
         "soar soars soared soaring rocketed spiked up higher",
         "fall falls fell fallen falling decrease decreases decreased decreasing shrank "
         "shrink shrinks shrinking drop drops dropped dropping decline declines declined declining "
         "slump slumped plunge plunged down lower ease eases eased easing dip dips dipped slip slips "
         "slipped tumble tumbles tumbled sank slid "
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

#: Scale words: "1.2 million", "$5bn" (extraction's table, as floats, without "hundred", which
#: never scales a digit here) plus the abbreviations only the pair rules read.
SCALES = {word: float(value) for word, value in EXTRACT_SCALE_WORDS.items() if word != "hundred"} | {
    "mn": 1e6, "mln": 1e6, "b": 1e9, "trn": 1e12,
}

#: Spelled-out numbers (extraction's table); "a dozen" and the like are handled as approximate.
NUMBER_WORDS = EXTRACT_NUMBER_WORDS
#: Multipliers among the spelled-out numbers (extraction's scale words; without "trillion", as
#: before the tables were shared, so that normalised text stays as it was).
NUMBER_MULTIPLIERS = {
    word: EXTRACT_SCALE_WORDS[word] for word in ("hundred", "thousand", "million", "billion")
}

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
# Words that set where or how widely a claim holds ("in northern Verania", "rural prices",
# "domestic flights"): the same sentence with one more or one fewer of them is another fact.
SCOPE_WORDS = frozenset(
    "northern southern eastern western north south east west northeast northwest southeast southwest "
    "north-east north-west south-east south-west north-eastern north-western south-eastern south-western "
    "northeastern northwestern southeastern southwestern central rural urban suburban coastal inland "
    "downtown domestic overseas international regional local nationwide worldwide global countrywide "
    "statewide citywide provincial municipal".split()
)
# The same scope said with another word ("central Lyon" / "Lyon's centre"): a word here is on
# neither side's list of extra scope words when the other side has one of its equivalents.
SCOPE_EQUIVALENTS: dict[str, frozenset[str]] = {
    "central": frozenset({"centre", "center", "downtown"}),
    "downtown": frozenset({"centre", "center", "central"}),
    "domestic": frozenset({"home", "national"}),
    "overseas": frozenset({"abroad", "foreign"}),
    "global": frozenset({"worldwide", "world"}),
    "worldwide": frozenset({"global", "world"}),
    "nationwide": frozenset({"national", "country", "countrywide"}),
    "countrywide": frozenset({"national", "country", "nationwide"}),
}
# A direction and its adjective are one scope: "northern towns" are "towns in the north".
for _direction in ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                   "north-east", "north-west", "south-east", "south-west"):
    _adjective = _direction + "ern"
    SCOPE_EQUIVALENTS[_direction] = SCOPE_EQUIVALENTS.get(_direction, frozenset()) | {_adjective}
    SCOPE_EQUIVALENTS[_adjective] = SCOPE_EQUIVALENTS.get(_adjective, frozenset()) | {_direction}

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
    # Numbers said as words the number reader does not know (spelled numbers are digits by now:
    # "two-thirds" reads "2-thirds").
    "a dozen": "12", "one dozen": "12", "a third of": "33.3% of", "one-third of": "33.3% of",
    "one third of": "33.3% of", "2-thirds of": "66.7% of", "2 thirds of": "66.7% of",
    "a quarter of": "25% of", "one-quarter of": "25% of", "one quarter of": "25% of",
    "3-quarters of": "75% of", "3 quarters of": "75% of",
}

#: Light lexical synonyms, mapped to one representative so restatements share tokens.
SYNONYMS = {
    # A direction and its adjective are one word: "northern towns" are "towns in the north".
    "northern": "north", "southern": "south", "eastern": "east", "western": "west",
    "northeastern": "northeast", "northwestern": "northwest", "southeastern": "southeast",
    "southwestern": "southwest", "north-eastern": "north-east", "north-western": "north-west",
    "south-eastern": "south-east", "south-western": "south-west",
    # A currency is one term however written: "£2bn" and "two billion pounds" share "pound".
    "£": "pound", "sterling": "pound", "$": "dollar", "€": "euro",
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
        ("win wins won winning keep keeps kept keeping retain retains retained retaining hold holds held "
         "holding", "lose loses lost losing"),
        ("cut cuts cutting shed sheds shedding axe axes axed axing slash slashes slashed eliminate "
         "eliminates eliminated lay laid sack sacks sacked", "add adds added adding create creates "
         "created hire hires hired recruit recruits recruited"),
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
        "double triple quadruple halve",
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

#: Words and phrases that restate each other in news copy, one group per line ("a, b, c");
#: a line ending in "@ w1 w2" only applies when both claims contain one of the context words
#: (``#num``: a figure), for polysemous words ("fire" burns forests and dismisses staff,
#: "strike" is a walkout or an attack, "lift" raises rates but removes bans). Read only by
#: :mod:`.semantic`, which bridges a small word swap when every swapped word on each side
#: shares a group with a swapped word on the other side, before asking the embeddings; the
#: antonym slots, :data:`OPPOSITE_WORDS` and :data:`DISTINCT_KINDS` still veto. Members are
#: matched by surface form and by crude stem, so listing irregular forms is enough; members
#: are interchangeable words, never a word and a narrower or broader one ("rate"/"mortgage").
SYNONYM_GROUPS_TEXT = """
# --- jobs, companies, markets
cut, cuts, cutting, shed, sheds, shedding, axe, axes, axed, axing, slash, slashed, eliminate, eliminated, eliminating, lay off, scrap, scrapped, drop, dropped @ job jobs worker workers staff employee employees position positions post posts role roles workforce
cut, slash, slashed, reduce, reduced, reduces, reducing, lower, lowered, trim, trimmed, pare, pared, pare back, scale back, scaled back, rein in
raise, raised, hike, hiked, increase, increased, boost, boosted, put up, push up, pushed up, lift, lifted @ rate rates interest forecast forecasts outlook guidance target targets projection estimate
raise, raised, raises, hike, hiked, hikes, increase, increased, increases, boost, boosted, put up, push up, pushed up, up, upped
rise, rises, rose, risen, increase, climb, climbed, jump, jumped, surge, surged, soar, soared, rocket, rocketed, spike, spiked, gain, gained, grow, grew, advance, advanced, edge up, edged up, go up, went up, rebound, rebounded
fall, falls, fell, fallen, drop, dropped, decline, declined, slide, slid, slip, slipped, dip, dipped, ease, eased, easing, tumble, tumbled, sink, sank, sunk, slump, slumped, plunge, plunged, dive, dived, crash, crashed, retreat, retreated, shrink, shrank, edge down, edged down, go down, went down
reach, reached, reaches, hit, hits, touch, touched, climb to, climbed to, rise to, rose to, jump to, jumped to, soar to, soared to, increase to, increased to @ #num
key, benchmark, main, headline, policy, official @ rate rates interest
job, jobs, position, positions, post, posts, role, roles, worker, workers, staff, employee, employees
workforce, staff, employees, workers, payroll
unemployment, joblessness, jobless rate, unemployment rate
profit, profits, earnings, net income, net profit
revenue, revenues, sales, turnover
takeover, acquisition, buyout, purchase, buy
buy, bought, acquire, acquired, purchase, purchased, take over, took over, snap up, snapped up
sell, sold, offload, offloaded, divest, divested, dispose of, disposed of
merge, merged, merger, combine, combined, join forces, joined forces
shares, stock, stocks, share price
stake, holding, shareholding
economy, gdp, gross domestic product, economic output @ grow grew growth shrank shrink contract contracted expand expanded quarter
bankrupt, insolvent, bankruptcy, insolvency, went bust, go bust, collapsed, collapse @ company firm business retailer airline chain lender bank group
bailout, rescue, rescue package, bail out, bailed out
deal, agreement, accord, pact, contract
contract, deal @ player club striker midfielder defender goalkeeper forward coach manager transfer season year years
wage, wages, pay, salary, salaries
pay rise, pay increase, wage increase, salary increase, wage rise
offer, deal, proposal, package @ pay wage wages salary salaries union unions
tax, taxes, levy, levies
tariff, tariffs, duty, duties, import tax, import taxes, import duty, import duties
interest rate, interest rates, rates, borrowing costs
forecast, forecasts, outlook, guidance, projection, projections, prediction, predictions
price, prices, cost, costs
fare, fares, ticket price, ticket prices
dividend, payout
loss, losses, deficit, shortfall
mortgage, home loan, home loans, mortgages
housing, property, home @ price prices market
petrol, gasoline
store, stores, shop, shops, outlet, outlets, branch, branches
plant, plants, factory, factories, facility, works, site
company, firm, business
customer, customers, client, clients
shopper, shoppers, consumer, consumers
invest, invested, investment, put money into
spending, expenditure, outlays, spend
subsidy, subsidies, grant, grants, handout, handouts
goods, products
exports, shipments, overseas sales
# --- power, politics, diplomacy
resign, resigned, resigns, quit, quits, step down, stepped down, stand down, stood down, leave office, left office
appoint, appointed, name, named, pick, picked, choose, chose, chosen, select, selected, tap, tapped
sworn in, inaugurated, took office, take office, assumed office
elect, elected, vote in, voted in
election, vote, poll, polls, ballot
approve, approved, approval, pass, passed, adopt, adopted, back, backed, endorse, endorsed, ratify, ratified, accept, accepted, support, supported, vote for, voted for, greenlight, greenlighted, green-light, sign off on, signed off on, clear, cleared
reject, rejected, refuse, refused, turn down, turned down, rebuff, rebuffed, spurn, spurned, vote down, voted down, vote against, voted against
criticise, criticised, criticize, criticized, condemn, condemned, slam, slammed, blast, blasted, denounce, denounced, lambast, lambasted, attack, attacked, rebuke, rebuked @ said says statement remarks decision plan policy government minister president move
praise, praised, hail, hailed, laud, lauded, commend, commended, welcome, welcomed
urge, urged, call on, called on, press, pressed, push, pushed
demand, demanded, call for, called for
warn, warned, caution, cautioned
plan, plans, planned, intend, intends, intended, aim, aims, aimed, set to, is set to, are set to
bill, legislation, draft law
law, legislation, statute
ban, banned, bans, prohibit, prohibited, outlaw, outlawed, bar, barred
scrap, scrapped, scraps, cancel, cancelled, canceled, cancels, ditch, ditched, abandon, abandoned, drop, dropped, axe, axed, call off, called off, shelve, shelved, kill off, killed off, ax, axes, axing, cancelling, scrapping
postpone, postponed, delay, delayed, defer, deferred, push back, pushed back, put off, put back
halt, halted, suspend, suspended, pause, paused, put on hold, freeze, froze, frozen, stop, stopped
resume, resumed, restart, restarted
start, started, begin, began, begun, launch, launched, kick off, kicked off, commence, commenced, get under way, got under way
end, ended, finish, finished, conclude, concluded, wrap up, wrapped up
introduce, introduced, bring in, brought in, implement, implemented, roll out, rolled out
tighten, tightened, toughen, toughened, strengthen, strengthened
relax, relaxed, ease, eased, loosen, loosened
extend, extended, prolong, prolonged
require, required, oblige, obliged, compel, compelled, mandate, mandated
talks, negotiations, discussions
meet, met, hold talks, held talks
visit, visited, trip, tour, toured
summit, meeting, talks
membership, join, joining, joined, accession, accede, acceded
expel, expelled, kick out, kicked out, throw out, threw out, order out, ordered out
deport, deported, deportation, send back, sent back, return, returned @ migrant migrants asylum seekers refugees deportation
migrant, migrants, immigrant, immigrants
border, frontier
sanction, sanctions, penalties, restrictive measures @ impose imposed lift lifted country countries regime government
aid, assistance, help
pledge, pledged, promise, promised, commit, committed, vow, vowed
coalition, alliance, bloc
government, administration, cabinet
minister, secretary @ defence defense foreign interior health finance
lawmakers, legislators, mps, parliament, congress
opposition leader, leader of the opposition
protest, protested, protests, protesting, demonstrate, demonstrated, demonstration, demonstrations, rally, rallied, rallies, marched, marches, marching, took to the streets, take to the streets
protesters, demonstrators, marchers
against, oppose, opposed, opposing, in opposition to
strike, strikes, striking, walkout, walkouts, walk out, walked out, walking out, down tools, downed tools, industrial action @ worker workers union unions staff employees drivers nurses doctors teachers pilots pay wage wages hours
halve, halved, halves, halving, cut by half, cut in half, reduce by half, reduced by half, fall by half, fell by half
# --- courts, crime, police
jail, jailed, prison, imprisoned, imprison, locked up, behind bars
sentence, sentenced, jail term, prison term, prison sentence, jail sentence
convict, convicted, found guilty, find guilty
acquit, acquitted, cleared, found not guilty
charge, charged, indict, indicted @ murder manslaughter fraud corruption bribery terrorism assault offence offences crime crimes theft rape kidnapping smuggling trafficking
plead guilty, pleaded guilty, pled guilty, admit, admitted @ charge charges murder fraud offence offences crime crimes assault theft manslaughter bribery corruption
probe, probes, investigation, investigations, inquiry, inquiries, enquiry, investigate, investigated, investigating, look into, looking into
fine, fined, penalty, penalties, penalise, penalised, penalize, penalized, ordered to pay @ #num
misleading, deceptive, false
fraud, scam, swindle
bribe, bribes, bribery, kickback, kickbacks
murder, homicide
arrest, arrested, detain, detained, take into custody, taken into custody, took into custody, held
release, released, free, freed, set free
overturn, overturned, quash, quashed, annul, annulled, overrule, overruled, reverse, reversed, strike down, struck down
dismiss, dismissed, reject, rejected, throw out, threw out, thrown out @ court judge appeal case lawsuit claim claims complaint judges tribunal
sue, sued, suing, take to court, took to court, taken to court, file a lawsuit, filed a lawsuit
lawsuit, lawsuits, suit, legal action, legal challenge
ruling, judgment, judgement, decision, verdict
lawyer, lawyers, attorney, attorneys, counsel
police, officers, police officers, cops
suspect, suspects, alleged, accused
kidnap, kidnapped, abduct, abducted, snatch, snatched, seize, seized @ hostage hostages girl girls boy boys child children man woman men women people student students
hostage, hostages, captive, captives
# --- conflict
attack, attacked, strike, struck, raid, raided, assault, airstrike, airstrikes, air strike, air strikes, air raid, air raids
bomb, bombed, bombing, bombard, bombarded, bombardment
capture, captured, seize, seized, take control of, took control of, taken control of, overrun, overran
withdraw, withdrew, withdrawn, pull out, pulled out, retreat, retreated
gunman, gunmen, shooter, attacker, attackers, assailant, assailants
bomb, explosive device, explosive
shot dead, gunned down, shot and killed
military, army, armed forces
troops, soldiers, forces
drone, drones, uav, uavs, unmanned aircraft
warship, warships, naval vessel, naval vessels
ceasefire, truce, armistice
killed, dead, died, lost their lives, deaths
injured, wounded, hurt
missing, unaccounted for
rescue, rescued, save, saved
flee, fled, escape, escaped
evacuate, evacuated, evacuation, moved to safety
# --- health, science
vaccine, vaccines, jab, jabs, vaccination, vaccinations, inoculation
disease, illness, sickness
drug, drugs, medicine, medicines, medication, medications
doctor, doctors, physician, physicians, medic, medics
hospital, hospitals, clinic
study, research, trial @ found find showed show suggests suggested researchers scientists
scientists, researchers
show, showed, shown, reveal, revealed, find, found, indicate, indicated
data, figures, statistics, numbers
# --- weather, disasters
fire, fires, blaze, blazes, wildfire, wildfires, bushfire, bushfires, forest fire, forest fires, inferno
burn, burned, burnt, burns, scorch, scorched, ravage, ravaged, consume, consumed, destroy, destroyed, char, charred @ hectare hectares acre acres forest forests woodland land square km kilometres miles
flood, floods, flooded, flooding, floodwaters, deluge
rain, rains, rainfall, downpour, downpours
snow, snowfall, snowstorm
storm, storms, gale, gales @ wind winds gusts
heatwave, heat wave, heatwaves
drought, dry spell
power, electricity, power supply
outage, outages, blackout, blackouts, power cut, power cuts
landslide, landslides, mudslide, mudslides
quake, earthquake, tremor
temperature, temperatures, thermometers, mercury
home, homes, house, houses, household, households
damage, damaged
# --- transport, industry, tech
recall, recalled, recalling, recalls, call back, called back
faulty, defective, flawed, malfunctioning, fault, defect, defects, faults
fault, glitch, bug, defect, flaw, malfunction
car, cars, vehicle, vehicles, automobile, automobiles
lorry, lorries, truck, trucks
boat, boats, vessel, vessels, ship, ships
plane, planes, aircraft, jet, jets, airliner, airliners
flight, flights, service, services @ airline airlines airways air flight flights airport route routes weekly daily
crash, crashed, collide, collided, collision
train, trains, rail service, rail services
hack, hacked, hacking, breach, breached, cyberattack, cyberattacks, cyber attack, cyber-attack, cyber attacks
data, information, details, records @ personal customer customers users user leak leaked breach stolen hack hacked
chip, chips, semiconductor, semiconductors, microchip, microchips
phone, phones, smartphone, smartphones, handset, handsets, mobile phone, mobile phones
app, apps, application, applications
ai, artificial intelligence
unveil, unveiled, launch, launched, roll out, rolled out, introduce, introduced, debut, debuted
close, closed, shut, shutter, shuttered, close down, closed down, shut down
# --- sport
win, won, wins, clinch, clinched, secure, secured, take, took, claim, claimed, capture, captured, went to, go to, goes to, awarded to @ title prize award medal trophy cup championship seat seats majority race election gold crown
match, matches, game, games, fixture, fixtures
title, titles, championship, championships, crown
stadium, arena
striker, forward, attacker, centre-forward
sign, signed, signing, join, joined, joins, recruit, recruited @ contract deal club player striker midfielder defender goalkeeper forward transfer season
sack, sacked, fire, fired, dismiss, dismissed, oust, ousted, axe, axed, let go
beat, defeat, defeated, overcome, overcame, see off, saw off
# --- general
people, persons, individuals
children, kids, minors
residents, inhabitants, locals, people
biggest, largest
annual, yearly
unchanged, steady, on hold, stable, flat
keep, kept, hold, held, leave, left, maintain, maintained @ unchanged steady stable hold flat
remain, remained, stay, stayed, keep, kept
half, 6 months @ first second year
because of, owing to, due to, following, after, over, amid @ damage damaged fault faults faulty flood floods flooding safety concerns concern
big, large, huge
large, major
help, assist, support
"""  # noqa: E501 (one group per line reads better than wrapped groups)


def _parse_groups(text: str) -> tuple[tuple[tuple[str, ...], frozenset[str] | None], ...]:
    groups = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        members, _, context = line.partition("@")
        words = tuple(m.strip().lower() for m in members.split(",") if m.strip())
        groups.append((words, frozenset(context.split()) if context.strip() else None))
    return tuple(groups)


#: :data:`SYNONYM_GROUPS_TEXT` parsed: (members, context words or None) per group.
SYNONYM_GROUPS = _parse_groups(SYNONYM_GROUPS_TEXT)

#: Verbs that only carry a noun ("imposed a fine", "staged a strike", "issued a warning"): in a
#: swap bridged by listed synonyms, one of these may stand on one side without a partner.
SUPPORT_VERBS = frozenset(
    "impose imposes imposed imposing levy levies levied hand hands handed issue issues issued "
    "stage stages staged hold holds held carry carries carried make makes made".split()
)

#: Demonyms read as their country, for terms and entities alike ("Belgian rail workers" is
#: about "rail workers in Belgium"). Merged into :data:`SYNONYMS` and :data:`AFFILIATION_ALIASES`
#: where those have no entry of their own.
DEMONYMS = {
    "belgian": "belgium", "belgians": "belgium", "austrian": "austria", "swiss": "switzerland",
    "portuguese": "portugal", "irish": "ireland", "scottish": "scotland", "welsh": "wales",
    "icelandic": "iceland", "czech": "czechia", "slovak": "slovakia", "romanian": "romania",
    "bulgarian": "bulgaria", "croatian": "croatia", "serbian": "serbia", "slovenian": "slovenia",
    "estonian": "estonia", "latvian": "latvia", "lithuanian": "lithuania", "belarusian": "belarus",
    "moldovan": "moldova", "albanian": "albania", "bosnian": "bosnia", "kosovar": "kosovo",
    "cypriot": "cyprus", "maltese": "malta", "luxembourgish": "luxembourg", "georgian": "georgia",
    "armenian": "armenia", "azerbaijani": "azerbaijan", "kazakh": "kazakhstan", "uzbek": "uzbekistan",
    "afghan": "afghanistan", "pakistani": "pakistan", "bangladeshi": "bangladesh", "nepalese": "nepal",
    "nepali": "nepal", "thai": "thailand", "vietnamese": "vietnam", "indonesian": "indonesia",
    "malaysian": "malaysia", "filipino": "philippines", "philippine": "philippines",
    "singaporean": "singapore", "taiwanese": "taiwan", "mongolian": "mongolia", "emirati": "uae",
    "qatari": "qatar", "kuwaiti": "kuwait", "bahraini": "bahrain", "omani": "oman", "yemeni": "yemen",
    "iraqi": "iraq", "syrian": "syria", "lebanese": "lebanon", "jordanian": "jordan", "libyan": "libya",
    "tunisian": "tunisia", "algerian": "algeria", "moroccan": "morocco", "sudanese": "sudan",
    "ethiopian": "ethiopia", "somali": "somalia", "ugandan": "uganda", "tanzanian": "tanzania",
    "rwandan": "rwanda", "congolese": "congo", "ghanaian": "ghana", "senegalese": "senegal",
    "malian": "mali", "zimbabwean": "zimbabwe", "zambian": "zambia", "angolan": "angola",
    "mozambican": "mozambique", "argentine": "argentina", "argentinian": "argentina",
    "chilean": "chile", "peruvian": "peru", "colombian": "colombia", "venezuelan": "venezuela",
    "ecuadorian": "ecuador", "bolivian": "bolivia", "uruguayan": "uruguay", "paraguayan": "paraguay",
    "cuban": "cuba", "haitian": "haiti", "jamaican": "jamaica", "saudi": "saudi arabia",
    "austrians": "austria", "afghans": "afghanistan", "ukrainians": "ukraine", "russians": "russia",
    "israelis": "israel", "palestinians": "palestine", "iranians": "iran", "iraqis": "iraq",
    "syrians": "syria", "egyptian": "egypt", "korean": "korea", "greek": "greece",
    "hungarian": "hungary", "nigerian": "nigeria", "kenyan": "kenya", "indian": "india",
    "australian": "australia", "mexican": "mexico", "brazilian": "brazil", "danish": "denmark",
    "norwegian": "norway", "finnish": "finland", "swedish": "sweden", "dutch": "netherlands",
    "polish": "poland", "turkish": "turkey", "italian": "italy", "spanish": "spain",
    "japanese": "japan", "chinese": "china", "german": "germany", "french": "france",
    "canadian": "canada", "israeli": "israel", "iranian": "iran", "palestinian": "palestine",
    "russian": "russia", "ukrainian": "ukraine",
}
for _demonym, _country in DEMONYMS.items():
    SYNONYMS.setdefault(_demonym, _country)
    AFFILIATION_ALIASES.setdefault(_demonym, _country)
