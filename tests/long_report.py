"""The long evaluation report of the development library (eval/library/115, 40+ pages) and the
scanned signed note (eval/library/116), written here as HTML and printed with Chromium; the note is
then scanned at 200 dpi (pypdfium2 + Pillow), as a leader's scanner would.

Fictional: the municipality is real, the event, people and figures are invented for evaluation.
Run `python -m tests.long_report` to write the files into eval/library/ (the HTML sources go to
eval/library/sources/); tests read the committed files.
"""

from __future__ import annotations

import html
import io
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from tests.printed import print_pdf

LIBRARY = Path(__file__).resolve().parent.parent / "eval" / "library"
LONG_NAME = "115_skybrud_evalueringsrapport"
SCAN_NAME = "116_stroemsvigt_plejecenter_scannet"

_STYLE = """
@page { size: A4; margin: 24mm 18mm 22mm 18mm;
  @top-left { content: "Evaluering af skybruddet 18.–19. august 2024"; font-family: "Liberation Sans", sans-serif;
    font-size: 8pt; color: #444; }
  @top-right { content: "Horsens Kommune"; font-family: "Liberation Sans", sans-serif; font-size: 8pt; color: #444; }
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font-family: "Liberation Sans", sans-serif;
    font-size: 8pt; color: #444; } }
html { font-family: "Liberation Serif", serif; font-size: 11.5pt; line-height: 1.5; color: #111; }
h1 { font-family: "Liberation Sans", sans-serif; font-size: 26pt; color: #0e2e4a; margin: 40mm 0 6mm 0; }
h2 { font-family: "Liberation Sans", sans-serif; font-size: 16pt; color: #0e2e4a; break-before: page;
  margin: 0 0 4mm 0; }
h3 { font-family: "Liberation Sans", sans-serif; font-size: 12.5pt; color: #0e2e4a; margin: 5mm 0 2mm 0; }
h3.page { break-before: page; }
.sub { font-size: 14pt; font-style: italic; } .meta { font-family: "Liberation Sans", sans-serif; font-size: 10pt; }
.toc h2 { break-before: page; } .toc p { display: flex; margin: 1.6mm 0; }
.toc .dots { flex: 1; border-bottom: 1px dotted #555; margin: 0 2mm 1.2mm 2mm; }
.cols { columns: 2; column-gap: 8mm; text-align: justify; }
p { margin: 0 0 2.6mm 0; orphans: 2; widows: 2; }
table { width: 100%; border-collapse: collapse; font-family: "Liberation Sans", sans-serif; font-size: 9.5pt;
  margin: 2mm 0 4mm 0; }
th { font-weight: bold; text-align: left; border-bottom: 1.2px solid #0e2e4a; padding: 1.4mm; vertical-align: top; }
td { border-bottom: 0.5px solid #999; padding: 1.3mm; vertical-align: top; }
tr { break-inside: avoid; }
.box { border: 1.2px solid #1d4f7a; background: #eef3f8; padding: 2mm 4mm; margin: 3mm 0; break-inside: avoid; }
.notes { font-size: 8.5pt; border-top: 0.5px solid #000; margin-top: 8mm; padding-top: 1.5mm; }
.notes p { margin: 0 0 1mm 0; } sup { font-size: 7pt; }
"""

# The areas of the municipality the report goes through, one chapter each: (chapter title, place,
# what happened there, the leader's role and name, what the leader says, figures, what was learnt).
AREAS: list[dict[str, str]] = [
    {"title": "Plejecenter Bakkehuset", "place": "Plejecenter Bakkehuset i Brædstrup",
     "what": "vandet stod 40 centimeter højt i kælderen, hvor køkkenet og vaskeriet ligger",
     "role": "forstander", "name": "Merete Skov",
     "quote": "Vi bar maden op ad trappen i fire dage, og beboerne mærkede næsten ingenting til det",
     "unit": "beboere", "n": "54", "moved": "9", "hours": "96",
     "lesson": "køkkenet og vaskeriet ikke bør ligge i kælderen på et plejecenter i en lavning"},
    {"title": "Hjemmeplejen i Område Syd", "place": "hjemmeplejen i Område Syd",
     "what": "tre veje til Hovedgård og Østbirk var lukket, og bilerne kunne ikke komme frem til 31 borgere",
     "role": "områdeleder", "name": "Kasper Brandt",
     "quote": "Vi lånte to traktorer af en landmand i Ørnstrup og kørte medicinen ud den vej",
     "unit": "borgere", "n": "412", "moved": "31", "hours": "20",
     "lesson": "hjemmeplejen skal have en liste over borgere med kritiske besøg, som kan printes uden for systemet"},
    {"title": "Daginstitutionen Regnbuen", "place": "Daginstitutionen Regnbuen i Gedved",
     "what": "regnvandet løb ind gennem terrassedørene og ødelagde gulvene i fire af de seks stuer",
     "role": "daglig leder", "name": "Louise Hvid",
     "quote": "Forældrene fik en sms klokken seks om morgenen, og ingen børn kom forgæves",
     "unit": "børn", "n": "86", "moved": "86", "hours": "240",
     "lesson": "en sms til forældrene tidligt om morgenen sparede mange forgæves ture"},
    {"title": "Lindvigskolen", "place": "Lindvigskolen i Horsens by",
     "what": "kælderen med skolens serverrum og fyrrum blev oversvømmet, og skolen var uden varme og net",
     "role": "skoleleder", "name": "Henrik Aagaard",
     "quote": "Eleverne fik undervisning i idrætshallen og på biblioteket i otte dage",
     "unit": "elever", "n": "620", "moved": "620", "hours": "192",
     "lesson": "serverrum ikke må ligge i kældre, hvor vandet samler sig ved skybrud"},
    {"title": "Botilbuddet Åparken", "place": "Botilbuddet Åparken ved Bygholm Å",
     "what": "åen gik over sine bredder, og vandet nåede op til husets sokkel",
     "role": "afdelingsleder", "name": "Tina Fogh",
     "quote": "Det var beboerne selv, der hjalp med sandsækkene, og det gav dem en følelse af at høre til",
     "unit": "beboere", "n": "18", "moved": "6", "hours": "36",
     "lesson": "beboere med handicap skal øve evakueringen sammen med personalet"},
    {"title": "Rådhuset og Borgerservice", "place": "Rådhuset i Horsens",
     "what": "strømmen gik i to timer, og telefonerne i Borgerservice var nede hele mandag formiddag",
     "role": "chef for Borgerservice", "name": "Anders Holm",
     "quote": "Vi stillede medarbejdere i forhallen, så borgerne kunne få svar ansigt til ansigt",
     "unit": "henvendelser", "n": "1.140", "moved": "0", "hours": "2",
     "lesson": "Borgerservice skal kunne flytte telefonerne til mobiltelefoner på under en time"},
    {"title": "Vej og Park", "place": "Vej og Park",
     "what": "27 veje blev lukket, og 14 vejbrønde blev spulet op af vandtrykket",
     "role": "driftschef", "name": "Jesper Nørgaard",
     "quote": "Vi havde folk på vejene i 38 timer i træk, og ingen kørte galt",
     "unit": "lukkede veje", "n": "27", "moved": "0", "hours": "38",
     "lesson": "afspærringsmateriel skal ligge ude i lokalområderne, ikke kun på materielgården"},
    {"title": "Forsyningen", "place": "Horsens Vand",
     "what": "renseanlægget i Endelave Havn løb over, og spildevand løb ud i fjorden",
     "role": "direktør for Horsens Vand", "name": "Birgitte Lauritsen",
     "quote": "Vi advarede mod badning i fjorden samme aften, og advarslen blev delt over 9.000 gange",
     "unit": "kubikmeter spildevand", "n": "18.000", "moved": "0", "hours": "60",
     "lesson": "varsler om badeforbud skal ud samme aften på de kanaler, borgerne faktisk bruger"},
    {"title": "Socialpsykiatrien", "place": "Socialpsykiatrien i Horsens",
     "what": "flere borgere i eget hjem ringede utrygge, fordi vandet steg i deres kældre",
     "role": "leder af Socialpsykiatrien", "name": "Nanna Kjeldsen",
     "quote": "Et telefonopkald fra en kendt medarbejder betød mere end en pumpe for mange af vores borgere",
     "unit": "borgere", "n": "140", "moved": "3", "hours": "48",
     "lesson": "kendte medarbejdere skal ringe til de mest sårbare borgere i de første timer"},
    {"title": "Frivillige og Hjemmeværnet", "place": "de frivillige og Hjemmeværnet",
     "what": "over 300 frivillige meldte sig via Facebook på to timer",
     "role": "frivillighedskoordinator", "name": "Sara Mikkelsen",
     "quote": "Vi havde flere hænder end opgaver de første timer, og så havde vi for få om natten",
     "unit": "frivillige", "n": "312", "moved": "0", "hours": "72",
     "lesson": "de frivillige skal fordeles på vagter, så der også er hænder om natten"},
]

TIMELINE = [
    ("Søndag 18. august kl. 14.10", "DMI varsler skybrud over Østjylland med op til 80 millimeter regn på seks timer."),
    ("Søndag kl. 16.45", "Beredskabet sætter pumpeberedskabet i højeste beredskab og kalder vagtholdet ind."),
    ("Søndag kl. 18.30", "Regnen begynder. Første melding om vand i kælderen på Plejecenter Bakkehuset kommer 19.05."),
    ("Søndag kl. 21.00", "Kommunaldirektøren samler krisestaben på brandstationen i Horsens."),
    ("Søndag kl. 23.40", "Bygholm Å går over sine bredder ved Åparken. Seks beboere flyttes til Bakkehuset."),
    ("Mandag 19. august kl. 05.50", "Forældrene i Daginstitutionen Regnbuen får sms om, at institutionen er lukket."),
    ("Mandag kl. 07.30", "Lindvigskolen lukkes. Undervisningen flyttes til idrætshallen og biblioteket fra tirsdag."),
    ("Mandag kl. 11.00", "Horsens Vand advarer mod badning i Horsens Fjord efter overløb fra renseanlægget."),
    ("Mandag kl. 15.00", "Krisestaben holder pressemøde på rådhuset sammen med borgmesteren."),
    ("Tirsdag 20. august kl. 09.00",
     "Krisestaben nedskalerer til daglige møder. Vej og Park genåbner 19 af de 27 veje."),
    ("Fredag 23. august kl. 12.00", "Krisestaben nedlægges. Opfølgningen overgår til direktionen."),
]

RECOMMENDATIONS = [
    "Køkkener, vaskerier og serverrum flyttes op fra kældre i de bygninger, der ligger i risikoområderne.",
    "Hjemmeplejen får en printbar liste over borgere med kritiske besøg, som opdateres hver uge.",
    "Beredskabsplanen udvides med et afsnit om skybrud, der varer mere end et døgn.",
    "Kommunen indgår aftaler med lokale landmænd om hjælp med traktorer og vogne.",
    "Borgerservice skal kunne flytte telefonerne til mobiltelefoner på under en time.",
    "Varsler om badeforbud sendes ud samme aften på sms, Facebook og kommunens hjemmeside.",
    "Botilbud og plejecentre øver evakuering én gang om året sammen med beredskabet.",
    "Frivillige registreres ved fremmøde og fordeles på vagter døgnet rundt.",
    "Kendte medarbejdere ringer til de mest sårbare borgere i de første timer af en krise.",
    "Afspærringsmateriel placeres i depoter i Brædstrup, Gedved og Østbirk.",
    "Krisestaben øver skybrudsscenariet hvert andet år.",
    "Evalueringen følges op af Økonomiudvalget inden for et år.",
]


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _area_chapter(number: int, area: dict[str, str], note: int) -> str:
    a = area
    speaker = f"{a['role']} {a['name']}"
    body = [
        f"<h2>{number}. {html.escape(a['title'])}</h2><div class='cols'>",
        _p(f"Skybruddet ramte {a['place']} natten til mandag den 19. august, da {a['what']}. "
           f"I alt var {a['n']} {a['unit']} berørt, og beredskabet i området varede {a['hours']} timer."),
        f"<p>Evalueringen bygger her på et interview med {html.escape(speaker)} og på logbogen fra området."
        f"<sup>{note}</sup> Medarbejderne har også svaret på spørgeskemaet, som beskrives i bilag 3.</p>",
        f"<p>”{html.escape(a['quote'])},” fortæller {html.escape(speaker)}, der var på arbejde hele natten.</p>",
        _p(f"Det tog tid at få overblik, fordi meldingerne fra {a['place']} kom ad flere veje: på telefon til "
           "vagtcentralen, på mail til forvaltningen og som beskeder til de enkelte ledere. Krisestaben fik derfor "
           "først et samlet billede af situationen, da lederen mødte op på brandstationen mandag morgen."),
        _p(f"Flere medarbejdere fortæller, at de selv fandt løsninger undervejs. Evalueringen peger på, at "
           f"{a['lesson']}. Det er indarbejdet i anbefalingerne i kapitel 15."),
        "</div>",
        f"<h3>{number}.1 Tal fra {html.escape(a['title'])}</h3>",
        "<table><tr><th>Opgørelse</th><th>Antal</th></tr>"
        f"<tr><td>Berørte {html.escape(a['unit'])} i alt</td><td>{a['n']}</td></tr>"
        f"<tr><td>Flyttet eller genhuset under skybruddet</td><td>{a['moved']}</td></tr>"
        f"<tr><td>Timer med forhøjet beredskab i {html.escape(a['title'])}</td><td>{a['hours']}</td></tr></table>",
        f"<div class='box'><p><b>Det lærte vi i {html.escape(a['title'])}</b></p><ul>"
        f"<li>{html.escape(a['lesson'][0].upper() + a['lesson'][1:])}.</li>"
        "<li>Meldinger fra området skal samles ét sted, før de sendes til krisestaben.</li></ul></div>",
        f"<h3 class='page'>{number}.2 Forløbet time for time</h3>",
        _p(f"Forløbet i {a['title']} er rekonstrueret ud fra logbogen og interviewet. Tiderne er omtrentlige, "
           "fordi flere beslutninger blev truffet i telefonen og først skrevet ned bagefter."),
        "<table><tr><th>Tidspunkt</th><th>Hvad skete der</th></tr>"
        f"<tr><td>Søndag kl. {18 + number % 4}.{(number * 7) % 6}0</td><td>Første melding om vand fra "
        f"{html.escape(a['title'])}</td></tr>"
        f"<tr><td>Søndag kl. {21 + number % 3}.{(number * 5) % 6}0</td>"
        f"<td>{html.escape(speaker[0].upper() + speaker[1:])} "
        "orienterer krisestaben</td></tr>"
        f"<tr><td>Mandag kl. 0{6 + number % 3}.00</td><td>Første status til medarbejdere og pårørende</td></tr>"
        f"<tr><td>Mandag kl. {12 + number % 5}.30</td><td>Området melder, at situationen er under kontrol</td></tr>"
        "</table>",
        f"<h3 class='page'>{number}.3 Medarbejdernes vurdering</h3><div class='cols'>",
        _p(f"I spørgeskemaet svarede medarbejderne i {a['title']} på, hvordan de oplevede natten og dagene efter. "
           "De fleste fremhæver, at de selv fandt løsninger og hjalp hinanden på tværs af faggrupper, og flere "
           "nævner, at de gerne ville have haft klarere besked om, hvem der traf beslutningerne."),
        _p(f"Flere medarbejdere i {a['title']} skriver, at de først hørte om krisestabens beslutninger på "
           "Facebook eller fra kolleger. Nogle fik besked på sms, andre på mail, og enkelte slet ikke. "
           "Det peger på, at informationen til medarbejderne skal gå ad én fast kanal."),
        _p(f"Lederen af området vurderer, at indsatsen kostede omkring {a['hours']} ekstra timer for "
           "personalet i alt, ud over de timer, der står i tabellen. Timerne er registreret som overarbejde og "
           "betales af den fælles pulje til ekstraordinære hændelser."),
        "</div>",
        f"<div class='notes'><p><sup>{note}</sup> Logbogen for {html.escape(a['title'])} 18.–23. august 2024, "
        "udleveret til evalueringen i september.</p></div>",
    ]
    return "".join(body)


def long_report_html() -> str:
    """The evaluation report of the cloudburst: cover, contents, 15 chapters (two columns in the
    areas' chapters), tables, footnotes, boxes, numbered recommendations, three appendices."""
    toc = [("1. Resumé", 3), ("2. Indledning og metode", 4), ("3. Hændelsesforløbet", 6),
           ("4. Krisestabens arbejde", 8)]
    toc += [(f"{n}. {a['title']}", 10 + 3 * (n - 5)) for n, a in enumerate(AREAS, start=5)]
    toc += [("15. Anbefalinger", 36), ("Bilag 1. Interviewede funktioner", 37),
            ("Bilag 2. Meldinger til vagtcentralen", 38), ("Bilag 3. Spørgeskemaet", 39), ("Bilag 4. Ordliste", 40)]
    parts = [
        f"<!doctype html><html lang='da'><head><meta charset='utf-8'><title>Evaluering af skybruddet 18.–19. august "
        f"2024</title><style>{_STYLE}</style></head><body>",
        "<p class='meta'>HORSENS KOMMUNE · EVALUERINGSRAPPORT</p>",
        "<h1>Evaluering af skybruddet 18.–19. august 2024</h1>",
        "<p class='sub'>Kommunens håndtering af oversvømmede institutioner, lukkede veje og sårbare borgere</p>",
        "<p class='meta'>Udarbejdet af Sekretariatet for Beredskab, Horsens Kommune · Godkendt af direktionen den "
        "12. november 2024 · Forelagt Økonomiudvalget den 3. december 2024</p>",
        "<div class='toc'><h2>Indhold</h2>",
        *(f"<p><span>{html.escape(t)}</span><span class='dots'></span><span>{p}</span></p>" for t, p in toc),
        "</div>",
        "<h2>1. Resumé</h2>",
        _p("Søndag den 18. august 2024 faldt der op til 92 millimeter regn over Horsens Kommune på under seks timer. "
           "Kældre, institutioner og veje blev oversvømmet, Bygholm Å gik over sine bredder, og renseanlægget i "
           "Endelave Havn løb over. Krisestaben var samlet fra søndag aften til fredag middag."),
        _p("Ingen borgere kom alvorligt til skade, og alle borgere med kritiske besøg i hjemmeplejen fik deres hjælp. "
           "Evalueringen viser, at kommunen løste opgaven, men at meget hvilede på medarbejdernes egne løsninger: "
           "traktorer fra lokale landmænd, telefonlister på papir og frivillige, der meldte sig via Facebook."),
        _p("Beredskabsplanen var skrevet til et skybrud, der er overstået på en nat. Denne gang varede følgerne "
           "næsten en uge. Rapporten gennemgår ti områder af kommunen og slutter med tolv anbefalinger i kapitel 15."),
        "<p>Som kommunaldirektøren udtaler: ”Vi var heldige, at det skete en søndag. På en hverdag med fulde "
        "skoler og institutioner havde vi haft et langt større problem.”</p>",
        "<h2>2. Indledning og metode</h2>",
        _p("Direktionen besluttede den 26. august at evaluere kommunens håndtering af skybruddet og gav "
           "Sekretariatet for Beredskab opgaven. Evalueringen skal pege på, hvad der virkede, hvad der ikke virkede, "
           "og hvad kommunen skal gøre anderledes næste gang."),
        "<p>Evalueringen bygger på krisestabens logbog, referaterne af de elleve møder i krisestaben, logbøgerne fra "
        "de berørte områder og 23 interviews med ledere og medarbejdere.<sup>1</sup> Desuden har 188 medarbejdere "
        "besvaret et spørgeskema; svarprocenten var 64.</p>",
        _p("Vi har også talt med Hjemmeværnet, Sydøstjyllands Politi, Horsens Vand og tre af de landmænd, der "
           "hjalp kommunen. Citaterne er gengivet med de interviewedes accept. Lederne er nævnt med navn og "
           "funktion, medarbejderne kun med funktion."),
        "<h3>2.1 Afgrænsning</h3>",
        _p("Evalueringen handler om kommunens egen indsats. Forsikringssager, private grundejeres skader og "
           "klimatilpasningen af kloaknettet er ikke med; de behandles af Teknik- og Miljøudvalget."),
        "<div class='notes'><p><sup>1</sup> Listen over de interviewede funktioner findes i bilag 1.</p></div>",
        "<h2>3. Hændelsesforløbet</h2>",
        _p("Tabellen nedenfor viser de vigtigste tidspunkter fra varslet søndag eftermiddag til krisestaben blev "
           "nedlagt fredag. Tiderne er taget fra krisestabens logbog."),
        "<table><tr><th>Tidspunkt</th><th>Hændelse</th></tr>",
        *(f"<tr><td>{html.escape(t)}</td><td>{html.escape(e)}</td></tr>" for t, e in TIMELINE),
        "</table>",
        _p("Det kritiske døgn var fra søndag aften til mandag aften. I den periode kom 212 meldinger ind til "
           "vagtcentralen, og krisestaben holdt fire møder. Fra tirsdag handlede arbejdet mest om oprydning, "
           "genhusning og information til borgerne."),
        "<h2>4. Krisestabens arbejde</h2><div class='cols'>",
        _p("Krisestaben bestod af kommunaldirektøren, de tre direktører, beredskabschefen, kommunikationschefen og "
           "en jurist. Den mødtes første gang søndag klokken 21 på brandstationen og holdt i alt elleve møder."),
        _p("Krisestaben fik hurtigt et fælles billede af de store hændelser, men det tog lang tid at få overblik over "
           "de mange små. Meldinger kom på telefon, mail og sms, og først mandag middag blev de samlet i ét "
           "situationsbillede, som alle i staben kunne se."),
        "<p>”Vi brugte de første timer på at finde ud af, hvem der vidste hvad. Det skal vi kunne gøre hurtigere,” "
        "siger beredskabschef Lars Winther, der ledede stabens møder sammen med kommunaldirektøren.</p>",
        _p("Referaterne af møderne var korte og blev sendt ud inden for en time. Flere ledere fortæller dog, at de "
           "ikke vidste, at de kunne læse referaterne i Teams, og at de derfor ringede til staben med spørgsmål, "
           "som allerede var besvaret."),
        "</div>",
        *(_area_chapter(n, a, n - 3) for n, a in enumerate(AREAS, start=5)),
        "<h2>15. Anbefalinger</h2>",
        _p("Evalueringen giver tolv anbefalinger. De er ordnet efter, hvor meget de efter vores vurdering vil betyde "
           "for den næste krise."),
        "<ol>", *(f"<li>{html.escape(r)}</li>" for r in RECOMMENDATIONS), "</ol>",
        _p("Sekretariatet for Beredskab følger op på anbefalingerne og rapporterer til direktionen hvert halve år."),
        "<h2>Bilag 1. Interviewede funktioner</h2>",
        "<ul>", *(f"<li>{html.escape(a['role'][0].upper() + a['role'][1:])}, {html.escape(a['title'])}</li>"
                  for a in AREAS), "<li>Beredskabschef</li><li>Kommunaldirektør</li><li>Kommunikationschef</li></ul>",
        "<h2>Bilag 2. Meldinger til vagtcentralen</h2>",
        _p("Tabellen viser de meldinger, vagtcentralen registrerede i det kritiske døgn, fordelt på områder."),
        "<table><tr><th>Område</th><th>Meldinger</th><th>Første melding</th></tr>",
        *(f"<tr><td>{html.escape(a['title'])}</td><td>{7 + 3 * n}</td>"
          f"<td>Søndag kl. {18 + n % 5}.{(n * 7) % 6}0</td></tr>" for n, a in enumerate(AREAS)),
        "</table>",
        "<h2>Bilag 3. Spørgeskemaet</h2>",
        _p("Spørgeskemaet blev sendt til 294 medarbejdere i de berørte områder i september 2024. 188 svarede."),
        "<table><tr><th>Udsagn</th><th>Enig</th><th>Uenig</th></tr>"
        "<tr><td>Jeg vidste, hvem jeg skulle kontakte</td><td>71 %</td><td>29 %</td></tr>"
        "<tr><td>Jeg fik besked om krisestabens beslutninger i tide</td><td>48 %</td><td>52 %</td></tr>"
        "<tr><td>Jeg kunne løse mine opgaver uden IT-systemerne</td><td>39 %</td><td>61 %</td></tr>"
        "<tr><td>Jeg ville vide, hvad jeg skal gøre ved næste skybrud</td><td>83 %</td><td>17 %</td></tr></table>",
        "<h2>Bilag 4. Ordliste</h2>",
        "<table><tr><th>Ord</th><th>Betydning</th></tr>"
        "<tr><td>Skybrud</td><td>Mere end 15 millimeter regn på 30 minutter (DMI's definition)</td></tr>"
        "<tr><td>Krisestab</td><td>Den gruppe af direktører og chefer, der leder kommunens indsats i en krise</td></tr>"
        "<tr><td>Kritisk besøg</td><td>Et besøg i hjemmeplejen, som ikke kan udskydes, fx medicin eller ilt</td></tr>"
        "<tr><td>Overløb</td><td>Når spildevand løber urenset ud, fordi kloakken ikke kan tage mere vand</td></tr>"
        "</table>",
        "</body></html>",
    ]
    return "".join(parts)


def scanned_note_html() -> str:
    """A signed learning note of a few pages, the kind that is printed, signed and scanned."""
    parts = [
        "<!doctype html><html lang='da'><head><meta charset='utf-8'><title>Læringsnotat</title><style>",
        "@page { size: A4; margin: 25mm 22mm; } html { font-family: 'Liberation Serif', serif; font-size: 12pt; "
        "line-height: 1.45; } h1 { font-family: 'Liberation Sans', sans-serif; font-size: 20pt; } "
        "h2 { font-family: 'Liberation Sans', sans-serif; font-size: 14pt; margin-top: 8mm; } "
        "table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #333; padding: 2mm; "
        "text-align: left; vertical-align: top; } .sign { margin-top: 20mm; }",
        "</style></head><body>",
        "<p>Silkeborg Kommune · Sundhed og Omsorg · Journalnummer 27.12.00-A00-3-24</p>",
        "<h1>Læringsnotat: Strømsvigt på Plejecenter Lysbro</h1>",
        _p("Tirsdag den 14. januar 2025 klokken 02.15 gik strømmen på Plejecenter Lysbro i Silkeborg. Strømmen var "
           "væk i fem timer og tyve minutter, fordi et kabel var gravet over ved en vejudvidelse på Lysbrogade."),
        _p("Nødstrømsanlægget startede, men det forsynede kun elevatorerne og nødbelysningen. Iltkoncentratorerne "
           "hos fire beboere og de elektriske senge stod derfor uden strøm."),
        "<h2>Baggrund</h2>",
        _p("Plejecenter Lysbro har 64 boliger fordelt på fire afdelinger. Fire af beboerne bruger iltkoncentrator "
           "døgnet rundt, og 22 har elektriske senge med trykaflastende madrasser, som skal have strøm for at holde "
           "trykket. Notatet er skrevet af ledelsen i Sundhed og Omsorg på grundlag af nattevagtens rapport, "
           "beredskabets log og en samtale med centerlederen."),
        "<h2>Hvad skete der?</h2>",
        _p("Nattevagten opdagede strømsvigtet, da en beboers iltkoncentrator gav alarm. Hun ringede til vagtlægen og "
           "til lederens vagttelefon. De fire beboere fik ilt fra flasker, som plejecentret havde i depotet, og "
           "flaskerne rakte til klokken seks."),
        _p("Klokken 04.30 kørte beredskabet en mobil generator ud til plejecentret. Den blev koblet til afdelingen "
           "med de fire beboere, så iltkoncentratorerne kunne køre igen."),
        "<table><tr><th>Tidspunkt</th><th>Hændelse</th></tr>"
        "<tr><td>Kl. 02.15</td><td>Strømmen går på hele plejecentret</td></tr>"
        "<tr><td>Kl. 02.25</td><td>Nattevagten ringer til vagtlægen og lederens vagttelefon</td></tr>"
        "<tr><td>Kl. 04.30</td><td>Beredskabet kobler en mobil generator til</td></tr>"
        "<tr><td>Kl. 07.35</td><td>Strømmen er tilbage</td></tr></table>",
        "<h2>Det lærte vi</h2>",
        _p("Nødstrømsanlægget var dimensioneret efter reglerne fra 2009, hvor ingen beboere havde iltkoncentratorer. "
           "Ingen havde siden tjekket, hvad anlægget skulle kunne forsyne."),
        "<p>”Vi havde ilt nok til fire timer, og strømmen var væk i over fem. Det var for tæt på,” siger "
        "centerleder Annette Bach, der selv kom ind klokken tre.</p>",
        "<h2>Beslutninger</h2>",
        "<ol><li>Nødstrømsanlæggene på alle otte plejecentre gennemgås inden 1. juni 2025.</li>"
        "<li>Alle plejecentre får ilt på flaske til mindst otte timer pr. beboer med iltbehov.</li>"
        "<li>Beredskabets mobile generatorer skal kunne kobles til plejecentrene uden elektriker.</li></ol>",
        "<p class='sign'>Silkeborg, den 3. februar 2025</p>",
        "<p>Lene Mortensen, direktør for Sundhed og Omsorg</p>",
        "</body></html>",
    ]
    return "".join(parts)


def scanned(pdf: bytes, dpi: int = 200, quality: int = 60) -> bytes:
    """A grayscale scan of a printed PDF at `dpi`, its pages JPEG-compressed as a scanner saves them."""
    document = pdfium.PdfDocument(pdf)
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality)
    return out.getvalue()


def write_library_files(library: Path = LIBRARY) -> list[Path]:
    """Print the long report and the scanned note into the development library (and their sources)."""
    written = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for name, page, scan in ((LONG_NAME, long_report_html(), False), (SCAN_NAME, scanned_note_html(), True)):
            (library / "sources" / f"{name}.html").write_text(page, encoding="utf-8")
            pdf = print_pdf(page, folder, name, header_footer=False)
            target = library / f"{name}.pdf"
            target.write_bytes(scanned(pdf) if scan else pdf)
            written.append(target)
    return written


if __name__ == "__main__":
    for path in write_library_files():
        pages = len(pdfium.PdfDocument(path.read_bytes()))
        print(f"{path.name}: {pages} sider, {path.stat().st_size / 1e6:.2f} MB", file=sys.stderr)
