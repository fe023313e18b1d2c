/*
 * kring-bench-gen: writes a benchmark data set in kring's import format
 * (docs/import-format.md) on standard output.
 *
 *	kring-bench-gen small|medium|large [--seed N] > set.jsonl
 *
 * The same size and seed give the same bytes: the generator has its own
 * PRNG (splitmix64), reads no clock and writes times as "days_ago".
 *
 *	size	questions	organisations	people	communities
 *	small	    1,000	           20	   100	          8
 *	medium	   10,000	          200	 1,000	         12
 *	large	  100,000	        2,000	10,000	         24
 *
 * Answers and comments together come to about ten per question; one item
 * in ten more is an update. Thread sizes are Zipf-like: most questions get
 * 0 to 5 answers, a few several dozen.
 *
 * Fixed points the benchmark runner relies on (bench/README.md):
 *  - The first person line is `bench`, password `bench-password-2026`, a
 *    member of natverket, fika-with-a-topic, inkoop-en-aanbesteding
 *    (members only) and introduktion.
 *  - The first community line is `natverket`: public, open, Swedish.
 *  - The first item line is the big question "q1" in natverket with exactly
 *    50 answers and 100 comments (10 on the question, 90 on its answers):
 *    on a fresh database it is item 1 and its answers are items 2 to 51.
 *  - The lines come in a fixed order: organisations, people, communities,
 *    then threads (a question or update, followed by its comments,
 *    reactions and answers, each answer with its own) from the oldest to the
 *    newest, the big question first.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define BENCH_HANDLE "bench"
#define BENCH_PASSWORD "bench-password-2026"
#define BIG_ANSWERS 50
#define BIG_QUESTION_COMMENTS 10
#define BIG_ANSWER_COMMENTS 90
#define SPAN_DAYS 1095 /* the oldest thread is three years old */

/* ---- word lists ------------------------------------------------------ */

struct list {
	const char *const *v;
	size_t n;
};

#define LIST(...) {(const char *const[]){__VA_ARGS__}, N(((const char *const[]){__VA_ARGS__}))}

/* A subject to ask about, as a noun phrase, and the tag that goes with it. */
struct topic {
	const char *phrase, *tag;
};

/* Everything written in one language. Templates take %t (a topic), %o (the
 * writer's organisation), %p (a place), %h (an @mention of someone), %n (a
 * small number). */
struct lang {
	const char *code, *tld, *our_org;
	const struct topic *topics;
	size_t ntopics;
	struct list first, last, place_a, place_b, org_kinds, org_about, job, bio, tags;
	struct list title, q_context, q_ask, q_lead, bullet, q_close, link, mention;
	struct list a_open, tip, a_close, comment, update;
};

#define TOPICS(...) (const struct topic[]){__VA_ARGS__}, N(((const struct topic[]){__VA_ARGS__}))

static const struct lang langs[] = {
{
	.code = "sv", .tld = "se", .our_org = "vår arbetsplats",
	.topics = TOPICS(
		{"fika med ett tema", "fika-med-tema"},
		{"introduktion av nya medarbetare", "introduktion"},
		{"upphandling av e-tjänster", "upphandling"},
		{"digitala workshoppar med många deltagare", "workshoppar"},
		{"metodboken", "metodbok"},
		{"medborgardialog", "medborgardialog"},
		{"energiuppföljning i kommunens lokaler", "energi"},
		{"fadderprogram för nyanställda", "introduktion"},
		{"AI i handläggningen", "ai"},
		{"gallring av e-post", "gdpr"},
		{"processledning i hybridmöten", "facilitering"},
		{"kravspecifikationer som leverantörer förstår", "upphandling"},
		{"förbättringstavlor på kontoret", "lean"},
		{"chefsintroduktion", "ledarskap"},
		{"erfarenhetsutbyte mellan kommuner", "kunskapsdelning"},
		{"retrospektiv efter stora projekt", "facilitering"},
		{"rekrytering av ingenjörer till en liten ort", "rekrytering"},
		{"kommunikation kring förändringar", "kommunikation"},
		{"tjänstedesign i praktiken", "e-tjänster"},
		{"arbetsmiljöarbete på distans", "arbetsmiljö"}),
	.first = LIST("Anna", "Johan", "Maria", "Erik", "Elin", "Oskar", "Lars", "Karin", "Fredrik", "Ingrid",
		      "Linnéa", "Mikael", "Sara", "Anders", "Emma", "Per", "Cecilia", "Magnus", "Tove", "Ahmed",
		      "Fatima", "Henrik", "Sofia", "Björn"),
	.last = LIST("Lindqvist", "Berglund", "Hedlund", "Sjöberg", "Nyström", "Öhman", "Karlsson", "Johansson",
		     "Andersson", "Nilsson", "Eriksson", "Lundgren", "Holm", "Sandberg", "Forsberg", "Åberg",
		     "Engström", "Wallin", "Ekström", "Hassan"),
	.place_a = LIST("Älv", "Sten", "Björk", "Ek", "Lind", "Sjö", "Berg", "Hed", "Kvarn", "Rönn", "Asp", "Gran"),
	.place_b = LIST("backa", "sjö", "fors", "vik", "dal", "holm", "by", "torp", "åsen", "näs", "ström", "lund"),
	.org_kinds = LIST("%p kommun", "Region %p", "%p Verkstad AB", "%p Bostäder AB", "%p Energi AB",
			  "Högskolan i %p"),
	.org_about = LIST("%o deltar i nätverket för att lära av andra i stället för att uppfinna allt själva.",
			  "Just nu arbetar vi framför allt med %t.",
			  "Hos oss arbetar omkring %n00 personer.",
			  "Vi delar gärna mallar och erfarenheter, särskilt om %t."),
	.job = LIST("Processledare", "HR-partner", "Upphandlare", "Digitaliseringsstrateg", "Dataskyddsombud",
		    "Projektledare", "Kommunikatör", "Energisamordnare", "Enhetschef", "Tjänstedesigner",
		    "Utbildningssamordnare", "Produktionstekniker"),
	.bio = LIST("Jag arbetar med %t på %o.",
		    "Delar gärna med mig av det vi lärt oss, och snor ännu hellre goda idéer.",
		    "Tidigare lärare, vilket märks: jag gillar **tydliga instruktioner** och korta möten.",
		    "Brinner för %t och för att saker ska bli gjorda."),
	.tags = LIST("digitalisering", "upphandling", "introduktion", "facilitering", "workshoppar", "ledarskap",
		     "gdpr", "ai", "arbetsmiljö", "hållbarhet", "kommunikation", "metodbok", "medborgardialog",
		     "e-tjänster", "energi", "lean", "rekrytering", "distansarbete", "fika-med-tema",
		     "kunskapsdelning"),
	.title = LIST("Hur gör ni med %t?", "Har någon provat %t i en liten kommun?",
		      "Vilka erfarenheter har ni av %t?", "Tips på %t utan stor budget?",
		      "Har någon en bra mall för %t?", "Hur kom ni igång med %t?",
		      "Vad skulle ni göra annorlunda med %t?", "Hur får vi ledningen med på %t?",
		      "Söker exempel på %t från andra organisationer", "Hur mycket tid tar %t i praktiken?",
		      "Vad gick fel när ni testade %t?", "Fungerar %t när halva gruppen sitter på distans?"),
	.q_context = LIST("På %o ska vi snart börja med %t, och jag vill hellre lära av andra än uppfinna allt själva.",
			  "Vi testade %t förra året, men det rann ut i sanden efter några månader.",
			  "Ledningen vill se resultat före sommaren, så tiden är knapp.",
			  "Vi är %n personer i gruppen, utspridda på tre orter.",
			  "Första försöket fungerade bra på en förvaltning och inte alls på de andra.",
			  "Hittills har två eldsjälar gjort det mesta av jobbet, och det håller inte i längden.",
			  "Jag har läst metodboken, men exemplen där kommer från mycket större organisationer.",
			  "Pengarna är inte problemet, det är tiden.",
			  "Facket har ställt frågor om hur det påverkar arbetsmiljön.",
			  "Vi har fått projektmedel i två år och vill att det ska leva vidare efteråt."),
	.q_ask = LIST("Hur gjorde ni?", "Vad gjorde skillnaden för er?", "Vad skulle ni undvika?",
		      "Alla exempel, mallar eller personer att prata med är välkomna.",
		      "Finns det någon som har gjort detta i en kommun av vår storlek?"),
	.q_lead = LIST("Jag är särskilt nyfiken på:", "Det vi funderar mest på är:",
		       "Några saker jag gärna vill veta mer om:"),
	.bullet = LIST("hur ni hittade de första deltagarna", "hur ofta ni träffas", "digitalt, på plats eller både och",
		       "vem som äger frågan när projektet är slut", "hur ni mäter om det fungerar",
		       "vad det kostar i timmar per månad", "hur ni involverade facket", "hur ni hanterar GDPR",
		       "de tre första stegen", "vad cheferna behöver göra"),
	.q_close = LIST("Tack på förhand!", "Små tips är också välkomna.", "Jag delar gärna det vi lär oss tillbaka.",
			"Hör gärna av er direkt också."),
	.link = LIST("Vårt nuvarande upplägg finns [på intranätet](https://intranat.example.se/upplagg/%n).",
		     "Vi utgick från [den här checklistan](https://wiki.example.se/checklistor/%n).",
		     "Mer bakgrund finns i [vår projektplan](https://projekt.example.se/planer/%n)."),
	.mention = LIST("%h, var det inte ni som gjorde något liknande i fjol?", "Kanske vet %h mer om det här?",
			"Jag har pratat lite med %h om detta redan."),
	.a_open = LIST("Vi gjorde det här på %o i våras, med %n deltagare.",
		       "Det som fungerade för oss var att börja smått: ett team, en månad och sedan en ärlig utvärdering.",
		       "Vi har hållit på med %t i två år nu.", "Kort svar: ja, men bara med en utsedd ägare.",
		       "Vi gjorde alla tänkbara misstag första gången, så här är vad vi lärde oss.",
		       "Det beror mycket på hur stor gruppen är.",
		       "Hos oss blev det mycket bättre när vi slutade kalla det projekt och började kalla det arbetssätt.",
		       "Vi bjöd in en grannkommun till första träffen, och det gav helt andra samtal.",
		       "Räkna med att det tar ett halvår innan det sitter."),
	.tip = LIST("**En fast tid** som folk kan boka in för hela terminen.",
		    "**Fråga användarna först**, innan någon skriver krav.",
		    "**Håll det kort.** Fyrtiofem minuter räcker gott.",
		    "**Skriv ner det** i metodboken direkt efter träffen.", "**En ägare**, inte en styrgrupp.",
		    "**Utvärdera efter tre träffar** och var beredd att ändra formen.",
		    "**Bjud in en grannkommun**, det ändrar tonen.", "**Riktigt kaffe** och något bakat. Inte valfritt."),
	.a_close = LIST("Jag visar gärna vårt material, skicka ett meddelande.", "Lycka till, och berätta hur det går!",
			"Prata med %h, som höll i den senaste omgången.",
			"Vår mall finns [här](https://wiki.example.se/mallar/%n)."),
	.comment = LIST("Tack, det här hjälper mycket!", "Har du mallen någonstans?",
			"Vi gör likadant och det fungerar bra.", "Hur många var ni?", "Bra tips, det snor jag.",
			"Var cheferna med också?",
			"Vi testade det, men det fungerade inte för oss. Fast vi var mycket fler.",
			"Håller med. Den fasta tiden gjorde all skillnad för oss.",
			"Finns det en inspelning? https://video.example.se/%n", "+1, samma erfarenhet här.",
			"%h borde se det här.", "Vilket verktyg använde ni?"),
	.update = LIST("Testade **%t** i dag med %n personer. Dubbelt så många idéer som förra gången, och de tysta tog ordet.",
		       "Jobbar med %t den här veckan. Det svåraste hittills är att hitta en tid som passar alla.",
		       "Har skrivit ner vad vi lärt oss om %t i metodboken. Kommentera gärna!",
		       "Halvvägs genom %t. Lärdomen hittills: fråga användarna tidigare.",
		       "Presenterade vårt arbete med %t för ledningsgruppen i dag. De vill ha en pilot i höst."),
},
{
	.code = "nl", .tld = "nl", .our_org = "onze organisatie",
	.topics = TOPICS(
		{"een koffiemoment met een thema", "koffie-met-thema"},
		{"het inwerken van nieuwe collega's", "inwerken"},
		{"de inkoop van e-diensten", "inkoop"},
		{"online workshops met veel deelnemers", "workshops"},
		{"het methodeboek", "methodeboek"},
		{"burgerparticipatie", "burgerparticipatie"},
		{"energiemonitoring in gemeentelijk vastgoed", "energie"},
		{"een buddyprogramma voor nieuwe medewerkers", "inwerken"},
		{"AI bij het behandelen van aanvragen", "ai"},
		{"het archiveren van e-mail", "avg"},
		{"facilitatie van hybride bijeenkomsten", "facilitatie"},
		{"eisen die leveranciers begrijpen", "inkoop"},
		{"een verbeterbord op kantoor", "lean"},
		{"het inwerken van nieuwe leidinggevenden", "leiderschap"},
		{"kennisdeling tussen gemeenten", "kennisdeling"},
		{"een evaluatie na een groot project", "facilitatie"},
		{"het werven van technici in een krimpregio", "werving"},
		{"communicatie over veranderingen", "communicatie"},
		{"duurzaam inkopen", "duurzaamheid"},
		{"hybride werken", "hybride-werken"}),
	.first = LIST("Pieter", "Sanne", "Wouter", "Joris", "Noor", "Bram", "Fleur", "Daan", "Lotte", "Thijs",
		      "Anouk", "Ruben", "Eva", "Jeroen", "Femke", "Mohamed", "Inge", "Koen", "Marloes", "Sven"),
	.last = LIST("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
		     "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "van Leeuwen", "Kok",
		     "Verhoeven", "El Amrani"),
	.place_a = LIST("Linde", "Eik", "Beek", "Zand", "Hoog", "Water", "Molen", "Veen", "Oost", "Wester",
			"Berg", "Haven"),
	.place_b = LIST("waard", "dam", "dijk", "veld", "hoven", "broek", "horst", "wijk", "rode", "sloot",
			"meer", "loo"),
	.org_kinds = LIST("Gemeente %p", "Waterschap %p", "Hogeschool %p", "%p Techniek BV", "Woonstichting %p",
			  "Omgevingsdienst %p"),
	.org_about = LIST("%o doet mee aan het netwerk om van anderen te leren in plaats van alles zelf te bedenken.",
			  "Op dit moment werken we vooral aan %t.",
			  "Bij ons werken ongeveer %n00 mensen.",
			  "We delen graag sjablonen en ervaringen, vooral over %t."),
	.job = LIST("Procesbegeleider", "HR-adviseur", "Inkoopadviseur", "Digitaal strateeg",
		    "Functionaris gegevensbescherming", "Projectleider", "Communicatieadviseur",
		    "Energiecoördinator", "Teamleider", "Servicedesigner", "Opleidingsadviseur",
		    "Productie-engineer"),
	.bio = LIST("Ik werk aan %t bij %o.",
		    "Deel graag wat we geleerd hebben, en pik nog liever goede ideeën op.",
		    "Voormalig docent, en dat merk je: ik hou van **duidelijke instructies** en korte vergaderingen.",
		    "Gaat voor %t en voor dingen die echt af komen."),
	.tags = LIST("inkoop", "inwerken", "facilitatie", "workshops", "kennisdeling", "digitalisering", "ai", "avg",
		     "leiderschap", "communicatie", "duurzaamheid", "methodeboek", "burgerparticipatie", "energie",
		     "lean", "werving", "hybride-werken", "koffie-met-thema", "e-diensten", "mentoring"),
	.title = LIST("Hoe pakken jullie %t aan?", "Heeft iemand %t geprobeerd in een kleine gemeente?",
		      "Wat zijn jullie ervaringen met %t?", "Tips voor %t zonder groot budget?",
		      "Heeft iemand een goed sjabloon voor %t?", "Hoe zijn jullie begonnen met %t?",
		      "Wat zouden jullie anders doen bij %t?", "Hoe krijgen we het management mee in %t?",
		      "Op zoek naar voorbeelden van %t bij andere organisaties",
		      "Hoeveel tijd kost %t in de praktijk?", "Wat ging er mis toen jullie %t probeerden?",
		      "Werkt %t als de helft van het team thuiswerkt?"),
	.q_context = LIST("Bij %o gaan we binnenkort aan de slag met %t, en ik leer liever van anderen dan dat we alles zelf bedenken.",
			  "We hebben vorig jaar %t geprobeerd, maar het liep na een paar maanden dood.",
			  "Het management wil voor de zomer resultaten zien, dus de tijd is krap.",
			  "We zijn met %n mensen, verspreid over drie locaties.",
			  "De eerste poging werkte goed bij één afdeling en helemaal niet bij de andere.",
			  "Tot nu toe hebben twee enthousiastelingen het meeste werk gedaan, en dat houden ze niet vol.",
			  "Ik heb het methodeboek gelezen, maar de voorbeelden komen uit veel grotere organisaties.",
			  "Geld is het probleem niet, tijd wel.",
			  "De ondernemingsraad heeft vragen gesteld over de werkdruk.",
			  "We hebben twee jaar projectgeld en willen dat het daarna blijft bestaan."),
	.q_ask = LIST("Hoe hebben jullie het aangepakt?", "Wat maakte voor jullie het verschil?",
		      "Wat zouden jullie vermijden?",
		      "Voorbeelden, sjablonen of mensen om mee te praten zijn allemaal welkom.",
		      "Heeft iemand dit gedaan in een gemeente van onze grootte?"),
	.q_lead = LIST("Ik ben vooral benieuwd naar:", "Waar we het meest over twijfelen:",
		       "Een paar dingen die ik graag wil weten:"),
	.bullet = LIST("hoe jullie de eerste deelnemers vonden", "hoe vaak jullie bij elkaar komen",
		       "online, op locatie of allebei", "wie eigenaar is als het project stopt",
		       "hoe jullie meten of het werkt", "wat het kost in uren per maand",
		       "hoe jullie de ondernemingsraad betrokken", "hoe jullie met de AVG omgaan",
		       "de eerste drie stappen", "wat leidinggevenden moeten doen"),
	.q_close = LIST("Alvast bedankt!", "Kleine tips zijn ook welkom.", "Ik deel graag terug wat wij leren.",
			"Mailen mag ook."),
	.link = LIST("Ons huidige plan staat [op het intranet](https://intranet.example.nl/plannen/%n).",
		     "We zijn uitgegaan van [deze checklist](https://wiki.example.nl/checklists/%n).",
		     "Meer achtergrond staat in [ons projectplan](https://project.example.nl/plannen/%n)."),
	.mention = LIST("%h, hebben jullie vorig jaar niet iets vergelijkbaars gedaan?",
			"Misschien weet %h hier meer van?", "Ik heb hier al even met %h over gesproken."),
	.a_open = LIST("Wij hebben dit afgelopen voorjaar bij %o gedaan, met %n deelnemers.",
		       "Wat voor ons werkte: klein beginnen, met één team, één maand en dan een eerlijke evaluatie.",
		       "We doen nu twee jaar aan %t.", "Kort antwoord: ja, maar alleen met een vaste eigenaar.",
		       "We hebben de eerste keer alle denkbare fouten gemaakt, dus dit is wat we leerden.",
		       "Het hangt sterk af van de grootte van de groep.",
		       "Bij ons werd het veel beter toen we het geen project meer noemden maar een manier van werken.",
		       "We nodigden een buurgemeente uit voor de eerste bijeenkomst, en dat gaf heel andere gesprekken.",
		       "Reken erop dat het een half jaar duurt voordat het staat."),
	.tip = LIST("**Een vast tijdstip** dat mensen voor het hele seizoen kunnen blokken.",
		    "**Vraag eerst de gebruikers**, voordat iemand eisen opschrijft.",
		    "**Houd het kort.** Drie kwartier is ruim voldoende.",
		    "**Schrijf het op** in het methodeboek, direct na de sessie.", "**Eén eigenaar**, geen stuurgroep.",
		    "**Evalueer na drie sessies** en durf de vorm aan te passen.",
		    "**Nodig een buurgemeente uit**, dat verandert de toon.",
		    "**Echte koffie** en iets lekkers. Niet optioneel."),
	.a_close = LIST("Ik laat ons materiaal graag zien, stuur me maar een bericht.",
			"Succes, en laat weten hoe het gaat!", "Praat eens met %h, die de vorige ronde heeft geleid.",
			"Ons sjabloon staat [hier](https://wiki.example.nl/sjablonen/%n)."),
	.comment = LIST("Dank je, hier heb ik veel aan!", "Heb je het sjabloon ergens staan?",
			"Wij doen het ook zo, en het werkt goed.", "Met hoeveel mensen waren jullie?",
			"Goede tip, die neem ik over.", "Deden de leidinggevenden ook mee?",
			"Wij hebben dat geprobeerd, maar het werkte niet. Wel met een veel grotere groep.",
			"Eens. Het vaste tijdstip maakte voor ons het verschil.",
			"Is er een opname? https://video.example.nl/%n", "+1, zelfde ervaring hier.",
			"%h, misschien interessant voor jou?", "Welke tool hebben jullie gebruikt?"),
	.update = LIST("Vandaag **%t** uitgeprobeerd met %n mensen. Twee keer zoveel ideeën als de vorige keer, en de stille collega's kwamen aan het woord.",
		       "Deze week bezig met %t. Het lastigste tot nu toe: een moment vinden dat iedereen past.",
		       "Opgeschreven wat we geleerd hebben over %t, in het methodeboek. Reacties welkom!",
		       "Halverwege %t. Les tot nu toe: vraag de gebruikers eerder.",
		       "Vandaag ons werk aan %t gepresenteerd aan het managementteam. Ze willen in het najaar een pilot."),
},
{
	.code = "en", .tld = "org", .our_org = "our workplace",
	.topics = TOPICS(
		{"a fika with a topic", "fika-with-a-topic"},
		{"onboarding new colleagues", "onboarding"},
		{"procurement of e-services", "procurement"},
		{"online workshops with forty people", "workshops"},
		{"a method book for workshops", "method-book"},
		{"citizen dialogues", "citizen-dialogue"},
		{"energy follow-up in public buildings", "energy"},
		{"a mentoring programme", "mentoring"},
		{"AI in case handling", "ai"},
		{"records retention for e-mail", "gdpr"},
		{"facilitating hybrid meetings", "facilitation"},
		{"requirements that suppliers understand", "procurement"},
		{"a lean board for the office", "lean"},
		{"a buddy system for new managers", "leadership"},
		{"sharing practices between municipalities", "knowledge-sharing"},
		{"a retrospective after a large project", "facilitation"},
		{"recruiting engineers to a small town", "recruitment"},
		{"internal communication about change", "communication"},
		{"service design in practice", "digital-services"},
		{"a community of practice that lasts", "community-building"}),
	.first = LIST("David", "Sarah", "James", "Emily", "Michael", "Hannah", "Daniel", "Laura", "Thomas", "Rachel",
		      "Oliver", "Grace", "Samuel", "Chloe", "Robert", "Priya", "Ben", "Aisha", "Tom", "Lucy"),
	.last = LIST("Smith", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Johnson", "Roberts", "Walker",
		     "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood",
		     "Patel", "Clarke"),
	.place_a = LIST("Ash", "Brook", "Elm", "Fair", "Green", "Hazel", "Kings", "Mill", "North", "Oak", "Stone",
			"Wood"),
	.place_b = LIST("field", "ford", "ham", "ley", "mouth", "ton", "wick", "bury", "dale", "port", "stead",
			"well"),
	.org_kinds = LIST("%p Council", "%p Housing Trust", "%p Engineering Ltd", "University of %p",
			  "%p Health Partnership", "%p Community Energy"),
	.org_about = LIST("%o takes part in the network to learn from others instead of inventing everything ourselves.",
			  "Right now we mostly work on %t.",
			  "About %n00 people work here.",
			  "We are happy to share templates and experience, especially about %t."),
	.job = LIST("Process facilitator", "HR partner", "Procurement officer", "Digital strategist",
		    "Data protection officer", "Project manager", "Communications officer", "Energy coordinator",
		    "Team leader", "Service designer", "Learning and development adviser", "Production engineer"),
	.bio = LIST("I work on %t at %o.", "Happy to share what we have learned, and even happier to borrow good ideas.",
		    "Former teacher, and it shows: I like **clear instructions** and short meetings.",
		    "Passionate about %t and about getting things done."),
	.tags = LIST("onboarding", "facilitation", "procurement", "workshops", "knowledge-sharing", "ai", "gdpr",
		     "leadership", "communication", "community-building", "sustainability", "method-book",
		     "citizen-dialogue", "digital-services", "energy", "lean", "recruitment", "remote-work",
		     "fika-with-a-topic", "mentoring"),
	.title = LIST("How do you organise %t?", "Has anyone tried %t in a small organisation?",
		      "What is your experience with %t?", "Tips for %t without a big budget?",
		      "Who has a good template for %t?", "How did you get started with %t?",
		      "What would you do differently with %t?", "How do we get management on board with %t?",
		      "Looking for examples of %t from other organisations",
		      "How much time does %t take in practice?", "What went wrong when you tried %t?",
		      "Does %t work when half the team is remote?"),
	.q_context = LIST("At %o we are about to start with %t, and I would rather learn from others than reinvent it.",
			  "We tried %t last year, but it stalled after a few months.",
			  "Our management wants to see results before the summer, so time is short.",
			  "We are a team of %n people, spread over three offices.",
			  "The first attempt worked well in one department and not at all in the others.",
			  "So far two enthusiasts have done most of the work, and that is not sustainable.",
			  "I have read the method book, but its examples come from much larger organisations.",
			  "Budget is not the problem; finding the time is.",
			  "The union has asked how it affects workload.",
			  "We have project funding for two years and want it to live on afterwards."),
	.q_ask = LIST("How did you do it?", "What made the difference for you?", "What would you avoid?",
		      "Any examples, templates or people to talk to are welcome.",
		      "Has anyone done this in an organisation of our size?"),
	.q_lead = LIST("I am especially curious about:", "What we are most unsure about:",
		       "A few things I would like to know:"),
	.bullet = LIST("how you found the first participants", "how often you meet", "online, on site or both",
		       "who owns it after the project ends", "how you measure whether it works",
		       "what it costs in hours per month", "how you involved the union", "how you handle GDPR",
		       "the first three steps", "what the managers have to do"),
	.q_close = LIST("Thanks in advance!", "Small tips are welcome too.", "Happy to share what we learn in return.",
			"Feel free to message me directly as well."),
	.link = LIST("Our current plan is [on the intranet](https://intranet.example.org/plans/%n).",
		     "We started from [this checklist](https://wiki.example.org/checklists/%n).",
		     "There is more background in [our project plan](https://projects.example.org/plans/%n)."),
	.mention = LIST("%h, didn't you do something similar last year?", "Maybe %h knows more about this?",
			"I have talked to %h about this already."),
	.a_open = LIST("We did this at %o last spring, with %n participants.",
		       "What worked for us was to start small: one team, one month, then an honest evaluation.",
		       "We have been working on %t for two years now.", "Short answer: yes, but only with a named owner.",
		       "We made every mistake possible the first time, so here is what we learned.",
		       "It depends a lot on the size of the group.",
		       "It got much better when we stopped calling it a project and started calling it the way we work.",
		       "We invited a neighbouring municipality to the first session, and the conversation changed completely.",
		       "Expect it to take half a year before it sticks."),
	.tip = LIST("**A fixed time slot** that people can block for the whole term.",
		    "**Ask the users first**, before anyone writes requirements.",
		    "**Keep it short.** Forty-five minutes is plenty.",
		    "**Write it down** in the method book straight after the session.", "**One owner**, not a steering group.",
		    "**Evaluate after three sessions** and be ready to change the format.",
		    "**Invite a neighbouring municipality**, it changes the tone.",
		    "**Real coffee** and something baked. Not optional."),
	.a_close = LIST("Happy to show you our material, send me a message.", "Good luck, and tell us how it goes!",
			"Talk to %h, who ran the last round.", "Our template is [here](https://wiki.example.org/templates/%n)."),
	.comment = LIST("Thanks, that helps a lot!", "Do you have the template somewhere?",
			"We do the same, and it works well.", "How many people took part?",
			"Great tip, I'm stealing that.", "Did the managers join too?",
			"We tried that and it did not work for us, but our group was much bigger.",
			"Agreed. The fixed time slot made all the difference for us.",
			"Is there a recording? https://video.example.org/%n", "+1, same experience here.",
			"%h might want to see this.", "Which tool did you use?"),
	.update = LIST("Tried **%t** today with %n people. Twice as many ideas as last time, and the quiet ones spoke up.",
		       "Working on %t this week. The hardest part so far is finding a time that suits everyone.",
		       "Wrote down what we learned about %t in the method book. Comments welcome!",
		       "Halfway through %t. Lesson so far: ask the users earlier.",
		       "Presented our work on %t to the management team today. They want a pilot in the autumn."),
},
};

enum { SV, NL, EN };

struct community_def {
	const char *slug, *name, *visibility, *policy, *description;
	int lang;
};

/* In the order they are written; a size takes the first ones. Exactly one
 * is private, early enough for the small set to have it. */
static const struct community_def community_defs[] = {
	{"natverket", "Nätverket", "public", "open",
	 "Det öppna vardagsrummet för alla i nätverket: frågor som korsar organisationsgränser, "
	 "tips och **erfarenheter som andra kan återanvända**.", SV},
	{"fika-with-a-topic", "Fika with a topic", "public", "open",
	 "Every other Thursday someone gives a **15-minute talk** over coffee.\n\n"
	 "- Suggest a topic or volunteer to give a talk\n- Ask anything that does not fit a narrower community", EN},
	{"inkoop-en-aanbesteding", "Inkoop & aanbesteding", "members", "request",
	 "Voor inkopers en budgethouders. We delen ervaringen met kleine en grote inkopen en "
	 "contractmanagement. **Geen namen van leveranciers** in openbare kritiek, graag.", NL},
	{"introduktion", "Introduktion och onboarding", "public", "open",
	 "Allt om att ta emot nya kollegor: fadderprogram, checklistor och den första veckan.", SV},
	{"facilitation", "Facilitation and workshops", "public", "open",
	 "Workshop designs, energisers that do not embarrass anyone, and what to do when the room goes quiet.", EN},
	{"chefsstod", "Chefsstöd", "private", "invite",
	 "Ett slutet rum för chefer som vill prata om svåra samtal och personalfrågor i förtroende.", SV},
	{"burgerparticipatie", "Burgerparticipatie", "public", "open",
	 "Hoe betrek je inwoners echt? Verhalen over bewonersavonden, enquêtes en wat er daarna gebeurt.", NL},
	{"metodbanken", "Metodbanken", "members", "request",
	 "**Planen utan innehållet**: mallar för workshoppar och processer som andra kan låna.", SV},
	{"procurement-practitioners", "Procurement practitioners", "members", "request",
	 "For people who buy things for public organisations: requirements, tenders and contract follow-up.", EN},
	{"digitalisering-i-kommunen", "Digitalisering i kommunen", "public", "open",
	 "E-tjänster, AI-försök och informationssäkerhet. Dela **det som inte fungerade** också.", SV},
	{"digitale-werkplaats", "Digitale werkplaats", "public", "open",
	 "Samen leren over digitale dienstverlening, van e-formulieren tot chatbots.", NL},
	{"energy-and-buildings", "Energy and buildings", "public", "open",
	 "Monitoring, retrofits and the energy bill of public buildings.", EN},
	{"lean-i-produktionen", "Lean i produktionen", "public", "open",
	 "Förbättringstavlor, 5S och daglig styrning i verkstaden och på kontoret.", SV},
	{"hybride-werken", "Hybride werken", "members", "request",
	 "Afspraken, vergaderingen en teamgevoel als de helft thuiswerkt.", NL},
	{"ai-in-public-services", "AI in public services", "public", "open",
	 "Pilots, pitfalls and the paperwork around AI in case handling.", EN},
	{"hallbar-upphandling", "Hållbar upphandling", "public", "open",
	 "Miljökrav, sociala krav och uppföljning som faktiskt blir av.", SV},
	{"methodebank", "Methodebank", "public", "open",
	 "Werkvormen en draaiboeken om te lenen, met de naam van wie het bedacht.", NL},
	{"onboarding-across-borders", "Onboarding across borders", "members", "request",
	 "Welcoming colleagues from other countries: language, paperwork and the unwritten rules.", EN},
	{"hr-i-kommunen", "HR i kommunen", "members", "request",
	 "Rekrytering, arbetsmiljö och chefsstöd i kommunal verksamhet.", SV},
	{"kennisdeling-gemeenten", "Kennisdeling tussen gemeenten", "public", "open",
	 "Niet elk wiel opnieuw uitvinden: wat werkt in de ene gemeente, werkt misschien ook bij jou.", NL},
	{"service-design", "Service design", "public", "open",
	 "Journey maps, prototypes and talking to the people who use the service.", EN},
	{"medborgardialog", "Medborgardialog", "public", "open",
	 "Metoder för att lyssna på invånare, och för att visa vad som hände med det de sa.", SV},
	{"leiderschap", "Leiderschap", "public", "request",
	 "Voor leidinggevenden en wie dat wil worden: intervisie, feedback en lastige gesprekken.", NL},
	{"community-builders", "Community builders", "public", "open",
	 "For the people who keep networks like this one alive.", EN},
};

/* natverket and the communities `bench` is a member of. */
enum { NATVERKET = 0, BENCH_COMMUNITIES = 4 };

struct size {
	const char *name;
	uint32_t questions, communities;
};

static const struct size sizes[] = {
	{"small", 1000, 8},
	{"medium", 10000, 12},
	{"large", 100000, 24},
};

/* ---- randomness: splitmix64 ------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t rnd(uint32_t n)
{
	return (uint32_t)(((rng_next() >> 32) * n) >> 32);
}

static bool chance(unsigned percent)
{
	return rnd(100) < percent;
}

/* Skewed towards 0 (the product of two uniform draws): a few members write
 * much of what a community holds, and the first tags are the popular ones. */
static uint32_t rnd_skewed(uint32_t n)
{
	return (uint32_t)((uint64_t)rnd(n) * rnd(n) / n);
}

static const char *pick(struct list l)
{
	return l.v[rnd((uint32_t)l.n)];
}

/* Counts 0..cap with weights 1/(k+1)^s. */
struct zipf {
	double cdf[64];
	unsigned cap;
};

static void zipf_init(struct zipf *z, double s, unsigned cap)
{
	double sum = 0;
	for (unsigned k = 0; k <= cap; k++)
		z->cdf[k] = sum += 1 / pow(k + 1, s);
	for (unsigned k = 0; k <= cap; k++)
		z->cdf[k] /= sum;
	z->cap = cap;
}

static unsigned zipf_draw(const struct zipf *z)
{
	double u = (double)(rng_next() >> 11) / 9007199254740992.0; /* [0, 1) in 53 bits */
	unsigned lo = 0, hi = z->cap;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (u < z->cdf[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- output: one large buffer, written when full ---------------------- */

static char obuf[1 << 20];
static size_t out_len;

static void out_flush(void)
{
	if (out_len && fwrite(obuf, 1, out_len, stdout) != out_len) {
		perror("kring-bench-gen: cannot write");
		exit(1);
	}
	out_len = 0;
}

static void out_mem(const char *s, size_t n)
{
	if (out_len + n > sizeof(obuf))
		out_flush();
	if (n > sizeof(obuf)) {
		if (fwrite(s, 1, n, stdout) != n) {
			perror("kring-bench-gen: cannot write");
			exit(1);
		}
		return;
	}
	memcpy(obuf + out_len, s, n);
	out_len += n;
}

static void out_s(const char *s)
{
	out_mem(s, strlen(s));
}

static void out_uint(uint64_t v)
{
	char digits[24], *p = digits + sizeof(digits);
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	out_mem(p, (size_t)(digits + sizeof(digits) - p));
}

/* s as a JSON string. The texts are ours: only quotes, backslashes and
 * line breaks need escaping. */
static void out_json(const char *s)
{
	out_s("\"");
	for (;;) {
		size_t run = strcspn(s, "\"\\\n");
		out_mem(s, run);
		s += run;
		if (!*s)
			break;
		out_s(*s == '\n' ? "\\n" : *s == '"' ? "\\\"" : "\\\\");
		s++;
	}
	out_s("\"");
}

static void line_start(const char *type)
{
	out_s("{\"type\":\"");
	out_s(type);
	out_s("\"");
}

static void field(const char *key, const char *value)
{
	out_s(",\"");
	out_s(key);
	out_s("\":");
	out_json(value);
}

static void field_ref(const char *key, char prefix, uint32_t n)
{
	out_s(",\"");
	out_s(key);
	out_s("\":\"");
	out_mem(&prefix, 1);
	out_uint(n);
	out_s("\"");
}

/* days_ago from thousandths of a day. */
static void field_days(uint32_t milli)
{
	char frac[4] = {(char)('0' + milli / 100 % 10), (char)('0' + milli / 10 % 10), (char)('0' + milli % 10), 0};
	out_s(",\"days_ago\":");
	out_uint(milli / 1000);
	out_s(".");
	out_s(frac);
}

static void line_end(void)
{
	out_s("}\n");
}

/* ---- the people, places and communities -------------------------------- */

struct org {
	int lang;
	char slug[80], name[80], place[40];
};

struct person {
	char handle[64], name[64];
	int32_t org; /* -1: none */
	int lang;
};

struct community {
	const struct community_def *def;
	uint32_t *members; /* person indices, the hosts first */
	uint32_t count, hosts;
};

static struct org *orgs;
static struct person *people;
static struct community *communities;
static uint32_t norgs, npeople, ncommunities;

/* ---- text ---------------------------------------------------------- */

#define TEXT_MAX 16384

struct text {
	char s[TEXT_MAX];
	size_t n;
};

static void t_mem(struct text *t, const char *s, size_t n)
{
	if (t->n + n >= TEXT_MAX) {
		fputs("kring-bench-gen: a text grew too long\n", stderr);
		exit(1);
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static void t_puts(struct text *t, const char *s)
{
	t_mem(t, s, strlen(s));
}

static void t_uint(struct text *t, unsigned v)
{
	char digits[12], *p = digits + sizeof(digits);
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	t_mem(t, p, (size_t)(digits + sizeof(digits) - p));
}

static void t_reset(struct text *t)
{
	t->n = 0;
	t->s[0] = '\0';
}

/* What a template's placeholders stand for. */
struct ctx {
	const struct lang *lang;
	const char *topic, *org, *place;
};

static void expand(struct text *t, const char *tmpl, const struct ctx *c)
{
	for (const char *p = tmpl; *p; p++) {
		if (*p != '%' || !p[1]) {
			size_t run = strcspn(p, "%");
			t_mem(t, p, run ? run : 1);
			p += (run ? run : 1) - 1;
			continue;
		}
		switch (*++p) {
		case 't':
			t_puts(t, c->topic);
			break;
		case 'o':
			t_puts(t, c->org);
			break;
		case 'p':
			t_puts(t, c->place);
			break;
		case 'h':
			t_puts(t, "@");
			t_puts(t, people[1 + rnd(npeople - 1)].handle);
			break;
		case 'n':
			t_uint(t, 2 + rnd(38));
			break;
		default:
			t_mem(t, p, 1);
		}
	}
}

/* count different entries of l in a row, from a random one, each followed
 * by sep and prefixed with "N. " when numbered, "- " when a list. */
static void sentences(struct text *t, struct list l, unsigned count, const struct ctx *c, const char *prefix,
		      bool numbered, const char *sep)
{
	uint32_t start = rnd((uint32_t)l.n);
	for (unsigned i = 0; i < count && i < l.n; i++) {
		if (numbered) {
			t_uint(t, i + 1);
			t_puts(t, ". ");
		}
		t_puts(t, prefix);
		expand(t, l.v[(start + i) % l.n], c);
		t_puts(t, sep);
	}
}

/* Lower-case ASCII for addresses: "Linnéa" → "linnea", "de Vries" →
 * "de-vries". */
static void ascii_name(char *out, size_t outlen, const char *in)
{
	/* Latin-1 letters U+00C0–U+00FF by their second UTF-8 byte, 0x80–0xBF. */
	static const char fold[] = "aaaaaaaceeeeiiii"
				   "dnooooo-ouuuuy-s"
				   "aaaaaaaceeeeiiii"
				   "dnooooo-ouuuuy-y";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && o + 1 < outlen; p++) {
		if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF)
			out[o++] = fold[*++p - 0x80];
		else if (*p == ' ' || *p == '-')
			out[o++] = '-';
		else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			out[o++] = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			out[o++] = (char)(*p - 'A' + 'a');
	}
	out[o] = '\0';
}

/* The k-th combination of a language's lists, spread out so neighbours
 * differ: 7919 is prime, so every count below it is walked through. */
static uint32_t spread(uint32_t k, uint32_t combinations)
{
	return (uint32_t)((uint64_t)(k % combinations) * 7919 % combinations);
}

static void make_orgs(void)
{
	uint32_t made[N(langs)] = {0};
	struct text t;
	for (uint32_t i = 0; i < norgs; i++) {
		struct org *o = &orgs[i];
		o->lang = (int)(i % N(langs));
		const struct lang *l = &langs[o->lang];
		uint32_t na = (uint32_t)l->place_a.n, nb = (uint32_t)l->place_b.n, nk = (uint32_t)l->org_kinds.n;
		uint32_t k = made[o->lang]++, c = spread(k, na * nb * nk);
		snprintf(o->place, sizeof(o->place), "%s%s", l->place_a.v[c % na], l->place_b.v[c / na % nb]);
		struct ctx cx = {.place = o->place};
		t_reset(&t);
		expand(&t, l->org_kinds.v[c / na / nb], &cx);
		if (k >= na * nb * nk) {
			t_puts(&t, " ");
			t_uint(&t, k / (na * nb * nk) + 1);
		}
		snprintf(o->name, sizeof(o->name), "%s", t.s);
		ascii_name(o->slug, sizeof(o->slug), o->name);
	}
}

static void write_orgs(void)
{
	struct text t;
	char host[48];
	for (uint32_t i = 0; i < norgs; i++) {
		const struct org *o = &orgs[i];
		const struct lang *l = &langs[o->lang];
		struct ctx c = {.lang = l, .org = o->name, .place = o->place,
				.topic = l->topics[rnd((uint32_t)l->ntopics)].phrase};
		t_reset(&t);
		sentences(&t, l->org_about, 2, &c, "", false, " ");
		t.s[--t.n] = '\0';
		line_start("org");
		field("slug", o->slug);
		field("name", o->name);
		field("description", t.s);
		ascii_name(host, sizeof(host), o->place);
		out_s(",\"website\":\"https://www.");
		out_s(host);
		out_s(".example.");
		out_s(l->tld);
		out_s("\"");
		line_end();
	}
}

static void make_people(void)
{
	uint32_t made[N(langs)] = {0};
	for (uint32_t i = 0; i < npeople; i++) {
		struct person *p = &people[i];
		if (i == 0) {
			*p = (struct person){.handle = BENCH_HANDLE, .name = "Bengt Bänk", .org = 0, .lang = SV};
			continue;
		}
		p->org = chance(95) ? (int32_t)rnd_skewed(norgs) : -1;
		p->lang = p->org >= 0 ? orgs[p->org].lang : (int)rnd(N(langs));
		const struct lang *l = &langs[p->lang];
		uint32_t nf = (uint32_t)l->first.n, nl = (uint32_t)l->last.n;
		uint32_t k = made[p->lang]++, c = spread(k, nf * nl);
		const char *first = l->first.v[c % nf], *last = l->last.v[c / nf];
		snprintf(p->name, sizeof(p->name), "%s %s", first, last);
		char a[16], b[16];
		ascii_name(a, sizeof(a), first);
		ascii_name(b, sizeof(b), last);
		if (k < nf * nl)
			snprintf(p->handle, sizeof(p->handle), "%s_%s", a, b);
		else
			snprintf(p->handle, sizeof(p->handle), "%s_%s%u", a, b, k / (nf * nl) + 1);
	}
}

static const char *const levels[] = {"learning", "practising", "expert"};

static void write_people(void)
{
	struct text t;
	for (uint32_t i = 0; i < npeople; i++) {
		const struct person *p = &people[i];
		const struct lang *l = &langs[p->lang];
		const char *org = p->org >= 0 ? orgs[p->org].name : l->our_org;
		uint32_t t1 = rnd((uint32_t)l->ntopics), t2 = (t1 + 1 + rnd((uint32_t)l->ntopics - 1)) % l->ntopics;
		struct ctx c = {.lang = l, .org = org, .topic = l->topics[t1].phrase};
		line_start("person");
		field("handle", p->handle);
		field("name", p->name);
		out_s(",\"email\":\"");
		out_s(p->handle);
		out_s("@example.");
		out_s(l->tld);
		out_s("\"");
		if (p->org >= 0)
			field("org", orgs[p->org].slug);
		field("title", pick(l->job));
		t_reset(&t);
		sentences(&t, l->bio, 1 + rnd(2), &c, "", false, " ");
		t.s[--t.n] = '\0';
		field("bio", t.s);
		t_reset(&t);
		t_puts(&t, l->topics[t1].phrase);
		t_puts(&t, ", ");
		t_puts(&t, l->topics[t2].phrase);
		field("ask_me_about", t.s);
		if (p->org >= 0)
			field("location", orgs[p->org].place);
		out_s(",\"languages\":[\"");
		out_s(l->code);
		out_s(p->lang != EN ? "\",\"en\"]" : "\"]");
		out_s(",\"expertise\":[");
		uint32_t n = 1 + rnd(3), start = rnd((uint32_t)l->tags.n);
		for (uint32_t k = 0; k < n; k++) {
			out_s(k ? ",{\"tag\":\"" : "{\"tag\":\"");
			out_s(l->tags.v[(start + k) % l->tags.n]);
			out_s("\",\"level\":\"");
			out_s(levels[rnd(N(levels))]);
			out_s("\"}");
		}
		out_s("]");
		if (i == 0)
			field("password", BENCH_PASSWORD);
		else if (i % 97 == 0)
			field("role", "moderator");
		line_end();
	}
}

static void make_communities(void)
{
	char *in = malloc(npeople);
	for (uint32_t ci = 0; ci < ncommunities; ci++) {
		struct community *c = &communities[ci];
		c->def = &community_defs[ci];
		c->members = malloc(npeople * sizeof(*c->members));
		c->count = 0;
		memset(in, 0, npeople);
		bool private = strcmp(c->def->visibility, "private") == 0;
		for (uint32_t p = 1; p < npeople; p++) {
			bool same = people[p].lang == c->def->lang;
			unsigned percent = ci == NATVERKET ? 60 : private ? (same ? 6 : 1) : same ? 30 : 6;
			if (chance(percent))
				in[p] = 1;
		}
		/* A community too small to talk in gets random people. */
		uint32_t have = 0, least = private ? 8 : 12;
		for (uint32_t p = 1; p < npeople; p++)
			have += in[p];
		while (have < least) {
			uint32_t p = 1 + rnd(npeople - 1);
			have += !in[p];
			in[p] = 1;
		}
		if (ci < BENCH_COMMUNITIES)
			in[0] = 1;
		for (uint32_t p = 0; p < npeople; p++)
			if (in[p])
				c->members[c->count++] = p;
		/* Hosts are moved to the front: they write the most. */
		c->hosts = 1 + rnd(3);
		for (uint32_t h = 0; h < c->hosts; h++) {
			uint32_t j;
			do
				j = h + rnd(c->count - h);
			while (c->members[j] == 0);
			uint32_t swap = c->members[h];
			c->members[h] = c->members[j];
			c->members[j] = swap;
		}
	}
	free(in);
}

static void write_communities(void)
{
	for (uint32_t ci = 0; ci < ncommunities; ci++) {
		const struct community *c = &communities[ci];
		line_start("community");
		field("slug", c->def->slug);
		field("name", c->def->name);
		field("description", c->def->description);
		field("visibility", c->def->visibility);
		field("join_policy", c->def->policy);
		field("language", langs[c->def->lang].code);
		for (uint32_t i = 0; i < c->count; i++) {
			out_s(i == 0 ? ",\"hosts\":[\"" : i == c->hosts ? "],\"members\":[\"" : ",\"");
			out_s(people[c->members[i]].handle);
			out_s("\"");
		}
		out_s("]");
		line_end();
	}
}

/* ---- threads ----------------------------------------------------------- */

static uint32_t next_question = 1, next_update = 1, next_answer = 1;
static struct zipf answers_zipf, comments_zipf, reactions_zipf;
static const char *const reaction_kinds[] = {"like", "like", "like", "thanks", "thanks", "insightful"};

/* Someone who may write in community ci (-1: anyone, for profile updates),
 * most often one of its most active members. */
static uint32_t author_in(int ci)
{
	if (ci < 0)
		return rnd_skewed(npeople);
	const struct community *c = &communities[ci];
	return c->members[rnd_skewed(c->count)];
}

static struct ctx ctx_of(uint32_t author, int lang, const char *topic)
{
	const struct person *p = &people[author];
	const struct lang *l = &langs[lang];
	return (struct ctx){.lang = l, .topic = topic,
			    .org = p->org >= 0 ? orgs[p->org].name : l->our_org,
			    .place = p->org >= 0 ? orgs[p->org].place : ""};
}

/* Earlier than days (in thousandths) by up to window, never before now. */
static uint32_t later(uint32_t days, uint32_t window)
{
	return days - rnd((window < days ? window : days) + 1);
}

static void comments_on(char prefix, uint32_t ref, int ci, int lang, uint32_t days, unsigned count)
{
	struct text t;
	const struct lang *l = &langs[lang];
	for (unsigned i = 0; i < count; i++) {
		uint32_t author = author_in(ci);
		struct ctx c = ctx_of(author, lang, "");
		t_reset(&t);
		expand(&t, pick(l->comment), &c);
		line_start("comment");
		field_ref("on", prefix, ref);
		field("author", people[author].handle);
		field("body", t.s);
		field_days(later(days, 3000));
		line_end();
	}
}

/* Different members react, one kind each. */
static void reactions_on(char prefix, uint32_t ref, int ci, uint32_t days)
{
	unsigned count = zipf_draw(&reactions_zipf);
	uint32_t pool = ci < 0 ? npeople : communities[ci].count, start = rnd(pool);
	for (unsigned i = 0; i < count && i < pool; i++) {
		uint32_t who = ci < 0 ? (start + i) % pool : communities[ci].members[(start + i) % pool];
		line_start("reaction");
		field_ref("on", prefix, ref);
		field("author", people[who].handle);
		field("kind", reaction_kinds[rnd(N(reaction_kinds))]);
		field_days(later(days, 5000));
		line_end();
	}
}

static void write_tags(const struct lang *l, const char *topic_tag)
{
	const char *tags[5] = {topic_tag};
	unsigned n = 1, extra = rnd(4);
	for (unsigned i = 0; i < extra; i++) {
		const char *tag = l->tags.v[rnd_skewed((uint32_t)l->tags.n)];
		bool seen = false;
		for (unsigned k = 0; k < n; k++)
			seen |= strcmp(tags[k], tag) == 0;
		if (!seen)
			tags[n++] = tag;
	}
	out_s(",\"tags\":[");
	for (unsigned i = 0; i < n; i++) {
		out_s(i ? ",\"" : "\"");
		out_s(tags[i]);
		out_s("\"");
	}
	out_s("]");
}

static void question_body(struct text *t, const struct ctx *c)
{
	const struct lang *l = c->lang;
	sentences(t, l->q_context, 1 + rnd(3), c, "", false, " ");
	t->s[--t->n] = '\0';
	if (chance(40)) {
		t_puts(t, "\n\n");
		expand(t, pick(l->q_lead), c);
		t_puts(t, "\n\n");
		sentences(t, l->bullet, 2 + rnd(3), c, "- ", false, "\n");
		t->s[--t->n] = '\0';
	} else {
		t_puts(t, "\n\n");
		expand(t, pick(l->q_ask), c);
	}
	struct list optional[] = {l->link, l->mention, l->q_close};
	const unsigned percent[] = {20, 25, 50};
	for (size_t i = 0; i < N(optional); i++) {
		if (chance(percent[i])) {
			t_puts(t, "\n\n");
			expand(t, pick(optional[i]), c);
		}
	}
}

static void answer_body(struct text *t, const struct ctx *c)
{
	const struct lang *l = c->lang;
	sentences(t, l->a_open, 1 + rnd(2), c, "", false, " ");
	t->s[--t->n] = '\0';
	if (chance(35)) {
		t_puts(t, "\n\n");
		sentences(t, l->tip, 2 + rnd(3), c, "", true, "\n");
		t->s[--t->n] = '\0';
	}
	struct list optional[] = {l->a_open, l->link, l->mention, l->a_close};
	const unsigned percent[] = {30, 15, 15, 40};
	for (size_t i = 0; i < N(optional); i++) {
		if (chance(percent[i])) {
			t_puts(t, "\n\n");
			expand(t, pick(optional[i]), c);
		}
	}
}

static void update_body(struct text *t, const struct ctx *c)
{
	expand(t, pick(c->lang->update), c);
	if (chance(30)) {
		t_puts(t, "\n\n");
		expand(t, pick(c->lang->q_lead), c);
		t_puts(t, "\n\n");
		sentences(t, c->lang->bullet, 2 + rnd(2), c, "- ", false, "\n");
		t->s[--t->n] = '\0';
	}
	if (chance(20)) {
		t_puts(t, "\n\n");
		expand(t, pick(c->lang->mention), c);
	}
}

/* One question (with its answers) or update, written at days (thousandths
 * of a day ago) in community ci (-1: on the author's profile). comments[0]
 * is how many comments the item gets, comments[1 + j] how many answer j
 * gets. */
static void thread(int ci, bool question, uint32_t days, unsigned answers, const unsigned *comments)
{
	static struct text t;
	uint32_t author = author_in(ci);
	int lang = ci >= 0 ? communities[ci].def->lang : people[author].lang;
	const struct lang *l = &langs[lang];
	const struct topic *topic = &l->topics[rnd((uint32_t)l->ntopics)];
	struct ctx c = ctx_of(author, lang, topic->phrase);
	char prefix = question ? 'q' : 'u';
	uint32_t ref = question ? next_question++ : next_update++;

	line_start("item");
	field_ref("ref", prefix, ref);
	field("kind", question ? "question" : "update");
	if (ci >= 0)
		field("community", communities[ci].def->slug);
	else
		out_s(",\"community\":null");
	field("author", people[author].handle);
	t_reset(&t);
	if (question) {
		expand(&t, pick(l->title), &c);
		field("title", t.s);
		t_reset(&t);
		question_body(&t, &c);
	} else {
		update_body(&t, &c);
	}
	field("body", t.s);
	write_tags(l, topic->tag);
	field("language", l->code);
	if (question && days < 14000 && chance(30)) {
		out_s(",\"needed_by_days\":");
		out_uint(1 + rnd(21));
	}
	field_days(days);
	line_end();
	comments_on(prefix, ref, ci, lang, days, comments[0]);
	reactions_on(prefix, ref, ci, days);

	int accepted = answers && chance(45) ? (int)rnd(answers) : -1;
	uint32_t window = days < 14000 ? days : 14000;
	for (unsigned j = 0; j < answers; j++) {
		uint32_t who = author_in(ci);
		if (who == author)
			who = author_in(ci);
		uint32_t at = days - (uint32_t)((uint64_t)window * (j + 1) / (answers + 1));
		struct ctx ac = ctx_of(who, lang, topic->phrase);
		uint32_t aref = next_answer++;
		t_reset(&t);
		answer_body(&t, &ac);
		line_start("answer");
		field_ref("ref", 'a', aref);
		field_ref("question", 'q', ref);
		field("author", people[who].handle);
		field("body", t.s);
		if ((int)j == accepted)
			out_s(",\"accepted\":true");
		field_days(at);
		line_end();
		comments_on('a', aref, ci, lang, at, comments[1 + j]);
		reactions_on('a', aref, ci, at);
	}
}

static void big_question(void)
{
	unsigned comments[1 + BIG_ANSWERS] = {BIG_QUESTION_COMMENTS};
	for (unsigned j = 0; j < BIG_ANSWERS; j++)
		comments[1 + j] = 1;
	for (unsigned k = BIG_ANSWERS; k < BIG_ANSWER_COMMENTS; k++)
		comments[1 + rnd(BIG_ANSWERS)]++;
	thread(NATVERKET, true, 20000, BIG_ANSWERS, comments);
}

/* Questions from the oldest to the newest; after every tenth an update, in
 * a community or, one in three, on its author's profile. */
static void threads(uint32_t questions)
{
	unsigned comments[64];
	for (uint32_t q = 1; q < questions; q++) {
		uint32_t days = (uint32_t)((uint64_t)SPAN_DAYS * 1000 * (questions - q) / questions);
		days = later(days, 500);
		bool update = q % 10 == 0;
		unsigned answers = zipf_draw(&answers_zipf);
		for (unsigned j = 0; j <= answers; j++)
			comments[j] = zipf_draw(&comments_zipf);
		thread((int)rnd_skewed(ncommunities), true, days, answers, comments);
		if (update) {
			comments[0] = zipf_draw(&comments_zipf);
			thread(chance(33) ? -1 : (int)rnd(ncommunities), false, later(days, 500), 0, comments);
		}
	}
}

static int usage(void)
{
	fputs("usage: kring-bench-gen small|medium|large [--seed N] > set.jsonl\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const struct size *size = NULL;
	uint64_t seed = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			char *end;
			seed = strtoull(argv[++i], &end, 10);
			if (!*argv[i] || *end)
				return usage();
			continue;
		}
		for (size_t k = 0; k < N(sizes); k++)
			if (strcmp(argv[i], sizes[k].name) == 0)
				size = &sizes[k];
		if (!size || strcmp(argv[i], size->name) != 0)
			return usage();
	}
	if (!size)
		return usage();
	rng_state = seed;
	zipf_init(&answers_zipf, 1.7, 60);
	zipf_init(&comments_zipf, 2.0, 25);
	zipf_init(&reactions_zipf, 2.0, 15);

	norgs = size->questions / 50;
	npeople = size->questions / 10 < 50 ? 50 : size->questions / 10;
	ncommunities = size->communities;
	orgs = calloc(norgs, sizeof(*orgs));
	people = calloc(npeople, sizeof(*people));
	communities = calloc(ncommunities, sizeof(*communities));
	make_orgs();
	make_people();
	make_communities();
	write_orgs();
	write_people();
	write_communities();
	big_question();
	threads(size->questions);
	out_flush();
	for (uint32_t i = 0; i < ncommunities; i++)
		free(communities[i].members);
	free(communities);
	free(people);
	free(orgs);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("kring-bench-gen: cannot write");
		return 1;
	}
	return 0;
}
