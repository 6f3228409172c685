/*
 * variant.c — British spellings read as American ones before English
 * stemming. Snowball's English stemmer keeps them apart ("organisation" and
 * "organization", "neighbour" and "neighbor" get different stems), and news
 * and notes mix both, so a word is respelt before it is stemmed, wherever it
 * is analysed: in the index, in queries and in highlights alike.
 *
 * Only listed roots and words are respelt: "-ise" is no sign by itself
 * ("promise", "exercise", "surprise" are spelt so on both sides), nor is
 * "-our" ("hour", "tour") or "-re" ("acre", "genre"). The lists hold the
 * words of news and reports, not every word of the dictionary.
 */
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* Roots of verbs spelt "-ize" in American English and often "-ise" in
 * British: recogn-ise, organ-ise. Sorted bytewise. */
static const char *const ize_roots[] = {
    "agon", "antagon", "apolog", "author", "capital", "categor", "central", "character",
    "civil", "colon", "commercial", "computer", "conceptual", "container", "contextual",
    "critic", "crystall", "custom", "decentral", "decriminal", "dehuman", "demilitar",
    "demobil", "democrat", "demon", "demoral", "deput", "desensit", "destabil", "digit",
    "disorgan", "dramat", "econom", "emphas", "energ", "epitom", "equal", "evangel",
    "external", "fantas", "fertil", "fictional", "final", "formal", "fossil", "fratern",
    "galvan", "general", "glamor", "global", "harmon", "homogen", "hospital", "human",
    "hypnot", "hypothes", "ideal", "idol", "immobil", "immortal", "immun", "individual",
    "industrial", "initial", "institutional", "internal", "international", "item",
    "jeopard", "legal", "legitim", "liberal", "local", "magnet", "marginal", "material",
    "maxim", "mechan", "memo", "memor", "mesmer", "metabol", "militar", "miniatur", "minim",
    "mobil", "modern", "moistur", "monet", "monopol", "moral", "motor", "national",
    "natural", "neutral", "normal", "optim", "organ", "ostrac", "oxid", "parameter",
    "pasteur", "patron", "penal", "personal", "plagiar", "polar", "politic", "popular",
    "pressur", "priorit", "privat", "proselyt", "public", "pulver", "radical", "random",
    "rational", "real", "recogn", "regular", "reorgan", "revital", "romantic", "sanit",
    "satir", "scandal", "scrutin", "secular", "sensational", "sensit", "serial", "social",
    "special", "stabil", "standard", "steril", "stigmat", "subsid", "summar", "symbol",
    "sympath", "synchron", "synthes", "tantal", "terror", "theor", "token", "tranquill",
    "traumat", "trivial", "tyrann", "union", "urban", "util", "vandal", "vapor", "verbal",
    "victim", "virtual", "visual", "vocal", "western",
};

/* What may follow those roots: "ise" and its forms, whose 's' becomes 'z'. */
static const char *const ise_endings[] = {
    "ise", "ised", "iser", "isers", "ises", "ising", "isable", "isation", "isations",
};

/* Roots of words spelt "-or" in American English and "-our" in British:
 * neighb-our, col-our. Sorted bytewise. */
static const char *const our_roots[] = {
    "arb", "ard", "arm", "behavi", "cand", "clam", "col", "demean", "discol", "dishon",
    "endeav", "fav", "ferv", "flav", "harb", "hon", "hum", "lab", "misbehavi",
    "misdemean", "neighb", "od", "parl", "ranc", "rig", "rum", "sav", "savi", "splend",
    "succ", "tum", "unfav", "val", "vap", "vig",
};

/* What may follow "our" in those words ("neighbourhood", "favourite"). */
static const char *const our_endings[] = {
    "", "able", "ably", "al", "ally", "ed", "er", "ers", "ful", "fully", "hood", "hoods",
    "ing", "ite", "ites", "less", "s", "y",
};

/* Verbs whose final 'l' British spelling doubles before an ending
 * (travel-led, cancel-ling) and American does not. Sorted bytewise. */
static const char *const ll_roots[] = {
    "bevel", "cancel", "channel", "chisel", "counsel", "dial", "duel", "enamel", "equal",
    "fuel", "funnel", "gravel", "grovel", "initial", "jewel", "kennel", "label", "level",
    "libel", "marshal", "marvel", "medal", "model", "panel", "parcel", "pedal", "pencil",
    "quarrel", "refuel", "remodel", "revel", "rival", "shovel", "signal", "snorkel",
    "spiral", "swivel", "total", "travel", "tunnel", "unravel", "yodel",
};

/* The endings of those verbs after the doubled 'l', with its first 'l'. */
static const char *const ll_endings[] = { "led", "ler", "lers", "ling" };

/* Other words, British -> American. Sorted bytewise by the British word. */
typedef struct respelling {
    const char *british, *american;
} respelling_t;

static const respelling_t words[] = {
    {"acknowledgement", "acknowledgment"}, {"acknowledgements", "acknowledgments"},
    {"ageing", "aging"}, {"aluminium", "aluminum"}, {"amongst", "among"},
    {"anaemia", "anemia"}, {"anaesthesia", "anesthesia"}, {"anaesthetic", "anesthetic"},
    {"analogue", "analog"}, {"analyse", "analyze"}, {"analysed", "analyzed"},
    {"analysing", "analyzing"}, {"calibre", "caliber"}, {"catalogue", "catalog"},
    {"catalogues", "catalogs"}, {"centimetre", "centimeter"}, {"centimetres", "centimeters"},
    {"centre", "center"}, {"centred", "centered"}, {"centres", "centers"},
    {"centring", "centering"}, {"cheque", "check"}, {"cheques", "checks"},
    {"defence", "defense"}, {"defences", "defenses"}, {"diarrhoea", "diarrhea"},
    {"encyclopaedia", "encyclopedia"}, {"enrol", "enroll"}, {"enrolment", "enrollment"},
    {"enrolments", "enrollments"}, {"enrols", "enrolls"}, {"fibre", "fiber"},
    {"fibres", "fibers"}, {"foetus", "fetus"}, {"fulfil", "fulfill"},
    {"fulfilment", "fulfillment"}, {"fulfils", "fulfills"}, {"grey", "gray"},
    {"haemorrhage", "hemorrhage"}, {"instalment", "installment"},
    {"instalments", "installments"}, {"jewellery", "jewelry"}, {"judgement", "judgment"},
    {"judgements", "judgments"}, {"kilometre", "kilometer"}, {"kilometres", "kilometers"},
    {"licence", "license"}, {"licences", "licenses"}, {"litre", "liter"},
    {"litres", "liters"}, {"manoeuvre", "maneuver"}, {"manoeuvred", "maneuvered"},
    {"manoeuvres", "maneuvers"}, {"manoeuvring", "maneuvering"}, {"marvellous", "marvelous"},
    {"meagre", "meager"}, {"metre", "meter"}, {"metres", "meters"},
    {"millimetre", "millimeter"}, {"millimetres", "millimeters"}, {"mould", "mold"},
    {"moulds", "molds"}, {"oesophagus", "esophagus"}, {"oestrogen", "estrogen"},
    {"offence", "offense"}, {"offences", "offenses"}, {"paediatric", "pediatric"},
    {"paediatrician", "pediatrician"}, {"paralyse", "paralyze"}, {"paralysed", "paralyzed"},
    {"paralysing", "paralyzing"}, {"plough", "plow"}, {"ploughs", "plows"},
    {"practise", "practice"}, {"practised", "practiced"}, {"practises", "practices"},
    {"practising", "practicing"}, {"pretence", "pretense"}, {"programme", "program"},
    {"programmes", "programs"}, {"sabre", "saber"}, {"sceptic", "skeptic"},
    {"sceptical", "skeptical"}, {"scepticism", "skepticism"}, {"sceptics", "skeptics"},
    {"sombre", "somber"}, {"spectre", "specter"}, {"storey", "story"}, {"storeys", "stories"},
    {"theatre", "theater"}, {"theatres", "theaters"}, {"tyre", "tire"}, {"tyres", "tires"},
    {"whilst", "while"}, {"woollen", "woolen"},
};

static int str_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static int word_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const respelling_t *)elem)->british);
}

/* Whether the first n bytes of w are one of the sorted roots. */
static bool listed_root(const char *const *roots, size_t n_roots, const char *w, size_t n)
{
    char root[24];
    if (n == 0 || n >= sizeof root)
        return false;
    memcpy(root, w, n);
    root[n] = '\0';
    return bsearch(root, roots, n_roots, sizeof *roots, str_cmp) != NULL;
}

static bool ends_with(const char *w, size_t len, const char *end, size_t n)
{
    return len >= n && memcmp(w + len - n, end, n) == 0;
}

/* text__american() of a word without a possessive ending. */
static size_t respell(const char *w, size_t len, char *out, size_t cap)
{
    /* The longest British word or root with its ending is well below this. */
    char key[40];
    if (len < 4 || len >= sizeof key || len + 1 > cap)
        return 0;
    memcpy(key, w, len);
    key[len] = '\0';
    const respelling_t *hit =
        bsearch(key, words, COUNT(words), sizeof words[0], word_cmp);
    if (hit != NULL) {
        const char *american = hit->american;
        size_t n = strlen(american);
        if (n + 1 > cap)
            return 0;
        memcpy(out, american, n + 1);
        return n;
    }
    for (size_t i = 0; i < COUNT(ise_endings); i++) {
        size_t n = strlen(ise_endings[i]);
        if (ends_with(w, len, ise_endings[i], n)
            && listed_root(ize_roots, COUNT(ize_roots), w, len - n)) {
            memcpy(out, w, len);
            out[len] = '\0';
            out[len - n + 1] = 'z';
            return len;
        }
    }
    for (size_t i = 0; i < COUNT(our_endings); i++) {
        size_t n = strlen(our_endings[i]);
        if (len < n + 3 || !ends_with(w, len - n, "our", 3)
            || memcmp(w + len - n, our_endings[i], n) != 0
            || !listed_root(our_roots, COUNT(our_roots), w, len - n - 3))
            continue;
        size_t root = len - n - 3;
        memcpy(out, w, root);
        memcpy(out + root, "or", 2);
        memcpy(out + root + 2, w + len - n, n);
        out[len - 1] = '\0';
        return len - 1;
    }
    for (size_t i = 0; i < COUNT(ll_endings); i++) {
        size_t n = strlen(ll_endings[i]);
        if (ends_with(w, len, ll_endings[i], n)
            && listed_root(ll_roots, COUNT(ll_roots), w, len - n)) {
            memcpy(out, w, len - n);
            memcpy(out + len - n, ll_endings[i] + 1, n - 1);
            out[len - 1] = '\0';
            return len - 1;
        }
    }
    return 0;
}

size_t text__american(const char *w, size_t len, char *out, size_t cap)
{
    /* A possessive keeps its ending: "organisation's", "neighbours'". */
    size_t tail = ends_with(w, len, "'s", 2) ? 2 : ends_with(w, len, "'", 1) ? 1 : 0;
    size_t n = respell(w, len - tail, out, cap);
    if (n == 0 || tail == 0)
        return n;
    if (n + tail + 1 > cap)
        return 0;
    memcpy(out + n, w + len - tail, tail);
    out[n + tail] = '\0';
    return n + tail;
}
