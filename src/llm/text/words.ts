/**
 * The word vocabulary of the built-in LLM (src/llm/model) and of generated prompts: common
 * English words, lowercase, each one token of the word tokenizer. Prompts built from these
 * words have an exact input length in the built-in model's tokens; for servers with a BPE
 * tokenizer (vLLM, TGI, ...) most of them are one token as well, so lengths come out close.
 * The order is part of the model: changing it changes token ids (regenerate the model).
 */
export const WORDS: readonly string[] = `
the of and to in is was for on that with as by at from it his an were are which this be
or has had first one their its new after who they two her she he been other when there all
during into school time may years more most only over city some world would where later up
such used many can state about national out known university united then made also age
number part work our people year day way man thing woman life child world hand eye place
case week company system program question government night point home water room mother area
money story fact month lot right study book word business issue side kind head house service
friend father power hour game line end member law car name president team minute idea kid
body information back parent face others level office door health person art war history
party result change morning reason research girl guy moment air teacher force education foot
boy age policy music market sense nation plan college interest death experience effect use
class control care field development role effort rate heart drug show leader light voice
wife police mind price report decision son view relationship town road arm difference value
building action model season society tax director position player record paper space ground
form event official matter center couple site project activity star table need court oil
situation cost industry figure street image phone data picture practice piece land product
doctor wall patient worker news test movie north love support technology step baby computer
type attention film tree source organization hair window evidence population site training
energy letter fire bank animal blue red green white black small large long little good great
old big high different local short important early young public bad same able last late
hard major better economic strong possible whole free military true federal international
full special easy clear recent certain personal open difficult available likely low simple
go see get make know think take come give look want find tell ask seem feel try leave call
keep let begin help talk turn start run move like live believe hold bring happen write
provide sit stand lose pay meet include continue set learn lead understand watch follow stop
create speak read allow add spend grow offer remember consider appear buy wait serve die
send expect build stay fall cut reach kill remain suggest raise pass sell require report
decide pull not very just also well even back still never here now always often really
again today together already soon quickly slowly almost enough perhaps maybe yes no because
while if so but though although until since before after under between through against
without within along across behind above below around near far every each any few both
`
  .trim()
  .split(/\s+/)
  .filter((word, index, all) => all.indexOf(word) === index);
