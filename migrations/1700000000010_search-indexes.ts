// Search support for the target side of the parity check (search-catalog.md, mappings/search).
//
// What is added, and why this shape:
// - IMMUTABLE functions in schema `search` that reproduce the catalog's JavaScript value rules
//   (src/transform) EXACTLY; test/search/functions.test.ts checks them character by character:
//     search.fold        = foldAccents: NFKD, combining marks (\p{M}) removed, ß→ss, Æ→AE, Ø→O …
//                          (NOT unaccent(): its rules also rewrite symbols, © → (C), ½ → " 1/2",
//                          which would disagree with the catalog's tokens and name keys);
//     search.name_key    = nameMatchKey: fold, upper case, JS whitespace, ' ’ and - removed;
//     search.soundex_key = soundex(): fold, upper case, A–Z kept, fuzzystrmatch soundex; none → NULL;
//     search.tokens      = tokenise(): lower, fold, lower, maximal runs of [\p{L}\p{N}];
//     search.token_text  = those tokens joined by single spaces (tokens never hold a space);
//     search.phone_key   = phoneSearchKey(); search.ref_key = the S13 reference key;
//     search.field_key   = trimmed + lower case (town, make, model, colour, borough);
//     search.code_key    = trimmed + upper case (HO codes).
//   Case mapping uses the builtin collation pg_unicode_fast (PostgreSQL 18: full Unicode case
//   mapping with final sigma, as String.prototype.toLowerCase/toUpperCase); character classes
//   are explicit code-point ranges copied from JavaScript's \p{L}\p{N}, \p{M} and \s
//   (mappings/search/unicode.ts), so the database's locale never matters. Needs a UTF8 database.
//   The keys used by indexes and queries are plpgsql, so the planner never inlines them: inlined,
//   every query re-planned the Unicode tables (4–11 ms of planning per query, measured).
// - EXPRESSION indexes on those keys for people, aliases, locations, objects, events and the
//   audit log. They change no table: the loader's COPY → staging → INSERT … ON CONFLICT is
//   untouched, and each key is computed once per written row version (names, postcodes,
//   phones, references are short: a few µs).
// - ONE STORED GENERATED COLUMN, record.event.search_tokens (the narrative's S14 tokens joined by
//   single spaces), with a GIN index over it. Narratives are the only long values: tokenising one
//   costs ~0.1–0.2 µs per character. An expression index would cost the same at load, but every
//   S14 query that must check a phrase run (or a term too long for the index) would re-tokenise
//   each candidate narrative (measured: 0.2–0.7 s per query at 10k events). Stored, the run is a
//   LIKE over the token text (tokens are letters and digits: no space, %, _ or backslash).
//   Restricting an event (UPDATE restricted) does not recompute it: PostgreSQL only recomputes a
//   generated column when a column it depends on changes.
// Erasure stays physical: there are no derived search rows anywhere; every derived value lives
// in the row it comes from or in that row's index entries, and goes with it.
//
// Indexes (B-tree unless said), by capability:
//   S01, S20  person / person_name: name_key(surname)
//   S02, S06  person / person_name: soundex_key(surname)
//   S04, S05  person / person_name: (dob_precision, date_of_birth): a DOB period overlap is three
//             tight ranges, one per stored precision (mappings/search/sql.ts)
//   S03       person: GIN trigram on name_key(surname) (primary names only)
//   S07       location: postcode text_pattern_ops (full = equality, sector/district = prefix)
//   S08       location: GIN tokens(street); field_key(town)
//   S09, S18  object: vrm (vehicles)     S10: GIN trigram on vrm     S11: field_key(make|model|colour)
//   S12       object: phone_key(telephone)
//   S13       event: ref_key(reference)
//   S14       event: GIN tokens_tsv(search_tokens): every token and every bigram ('car park') as a
//             lexeme (no positions). A word is a lexeme, `word*` a lexeme prefix (byte prefix =
//             code-point prefix in UTF-8), a two-token phrase a bigram: all exact from the index
//             alone; a longer phrase needs its bigrams, then the run is checked on search_tokens.
//             Lexemes over 2046 bytes (the tsvector limit; longer ones would be silently
//             truncated) are left out, and a token list too big for one tsvector is indexed as the
//             marker `~long` alone: such events are always checked exactly, so nothing is missed
//             and no insert can fail.
//   S15       event: (code_key(classification_code), reported_at) for crimes
//   S16       event: (grading scheme, reported_at) for intelligence
//   S19       audit.event: (ref_key(entity_ref), occurred_at) for consultations and disclosures
//   S20       audit.event: entity_id for disclosures (and the S19 index for disclosures by reference)
//   S17/S18/S20 also walk the link tables' primary keys and reverse indexes (1700000000001) and
//   migration.lineage's primary key.
import type { MigrationBuilder } from 'node-pg-migrate';

// Frozen copies of the JavaScript classes (Node 20, the Unicode of its ICU), as PostgreSQL ARE
// bracket contents, made by pgClass() of mappings/search/unicode.ts. Never edit them here: a new
// set of classes needs a new migration that recreates the functions and indexes.
export const LETTER_OR_DIGIT = [
  '\\u0030-\\u0039\\u0041-\\u005a\\u0061-\\u007a\\u00aa\\u00b2-\\u00b3\\u00b5\\u00b9-\\u00ba\\u00bc-\\u00be',
  '\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u02c1\\u02c6-\\u02d1\\u02e0-\\u02e4\\u02ec\\u02ee\\u0370-\\u0374',
  '\\u0376-\\u0377\\u037a-\\u037d\\u037f\\u0386\\u0388-\\u038a\\u038c\\u038e-\\u03a1\\u03a3-\\u03f5',
  '\\u03f7-\\u0481\\u048a-\\u052f\\u0531-\\u0556\\u0559\\u0560-\\u0588\\u05d0-\\u05ea\\u05ef-\\u05f2',
  '\\u0620-\\u064a\\u0660-\\u0669\\u066e-\\u066f\\u0671-\\u06d3\\u06d5\\u06e5-\\u06e6\\u06ee-\\u06fc\\u06ff',
  '\\u0710\\u0712-\\u072f\\u074d-\\u07a5\\u07b1\\u07c0-\\u07ea\\u07f4-\\u07f5\\u07fa\\u0800-\\u0815\\u081a',
  '\\u0824\\u0828\\u0840-\\u0858\\u0860-\\u086a\\u0870-\\u0887\\u0889-\\u088f\\u08a0-\\u08c9\\u0904-\\u0939',
  '\\u093d\\u0950\\u0958-\\u0961\\u0966-\\u096f\\u0971-\\u0980\\u0985-\\u098c\\u098f-\\u0990\\u0993-\\u09a8',
  '\\u09aa-\\u09b0\\u09b2\\u09b6-\\u09b9\\u09bd\\u09ce\\u09dc-\\u09dd\\u09df-\\u09e1\\u09e6-\\u09f1',
  '\\u09f4-\\u09f9\\u09fc\\u0a05-\\u0a0a\\u0a0f-\\u0a10\\u0a13-\\u0a28\\u0a2a-\\u0a30\\u0a32-\\u0a33',
  '\\u0a35-\\u0a36\\u0a38-\\u0a39\\u0a59-\\u0a5c\\u0a5e\\u0a66-\\u0a6f\\u0a72-\\u0a74\\u0a85-\\u0a8d',
  '\\u0a8f-\\u0a91\\u0a93-\\u0aa8\\u0aaa-\\u0ab0\\u0ab2-\\u0ab3\\u0ab5-\\u0ab9\\u0abd\\u0ad0\\u0ae0-\\u0ae1',
  '\\u0ae6-\\u0aef\\u0af9\\u0b05-\\u0b0c\\u0b0f-\\u0b10\\u0b13-\\u0b28\\u0b2a-\\u0b30\\u0b32-\\u0b33',
  '\\u0b35-\\u0b39\\u0b3d\\u0b5c-\\u0b5d\\u0b5f-\\u0b61\\u0b66-\\u0b6f\\u0b71-\\u0b77\\u0b83\\u0b85-\\u0b8a',
  '\\u0b8e-\\u0b90\\u0b92-\\u0b95\\u0b99-\\u0b9a\\u0b9c\\u0b9e-\\u0b9f\\u0ba3-\\u0ba4\\u0ba8-\\u0baa',
  '\\u0bae-\\u0bb9\\u0bd0\\u0be6-\\u0bf2\\u0c05-\\u0c0c\\u0c0e-\\u0c10\\u0c12-\\u0c28\\u0c2a-\\u0c39\\u0c3d',
  '\\u0c58-\\u0c5a\\u0c5c-\\u0c5d\\u0c60-\\u0c61\\u0c66-\\u0c6f\\u0c78-\\u0c7e\\u0c80\\u0c85-\\u0c8c',
  '\\u0c8e-\\u0c90\\u0c92-\\u0ca8\\u0caa-\\u0cb3\\u0cb5-\\u0cb9\\u0cbd\\u0cdc-\\u0cde\\u0ce0-\\u0ce1',
  '\\u0ce6-\\u0cef\\u0cf1-\\u0cf2\\u0d04-\\u0d0c\\u0d0e-\\u0d10\\u0d12-\\u0d3a\\u0d3d\\u0d4e\\u0d54-\\u0d56',
  '\\u0d58-\\u0d61\\u0d66-\\u0d78\\u0d7a-\\u0d7f\\u0d85-\\u0d96\\u0d9a-\\u0db1\\u0db3-\\u0dbb\\u0dbd',
  '\\u0dc0-\\u0dc6\\u0de6-\\u0def\\u0e01-\\u0e30\\u0e32-\\u0e33\\u0e40-\\u0e46\\u0e50-\\u0e59\\u0e81-\\u0e82',
  '\\u0e84\\u0e86-\\u0e8a\\u0e8c-\\u0ea3\\u0ea5\\u0ea7-\\u0eb0\\u0eb2-\\u0eb3\\u0ebd\\u0ec0-\\u0ec4\\u0ec6',
  '\\u0ed0-\\u0ed9\\u0edc-\\u0edf\\u0f00\\u0f20-\\u0f33\\u0f40-\\u0f47\\u0f49-\\u0f6c\\u0f88-\\u0f8c',
  '\\u1000-\\u102a\\u103f-\\u1049\\u1050-\\u1055\\u105a-\\u105d\\u1061\\u1065-\\u1066\\u106e-\\u1070',
  '\\u1075-\\u1081\\u108e\\u1090-\\u1099\\u10a0-\\u10c5\\u10c7\\u10cd\\u10d0-\\u10fa\\u10fc-\\u1248',
  '\\u124a-\\u124d\\u1250-\\u1256\\u1258\\u125a-\\u125d\\u1260-\\u1288\\u128a-\\u128d\\u1290-\\u12b0',
  '\\u12b2-\\u12b5\\u12b8-\\u12be\\u12c0\\u12c2-\\u12c5\\u12c8-\\u12d6\\u12d8-\\u1310\\u1312-\\u1315',
  '\\u1318-\\u135a\\u1369-\\u137c\\u1380-\\u138f\\u13a0-\\u13f5\\u13f8-\\u13fd\\u1401-\\u166c\\u166f-\\u167f',
  '\\u1681-\\u169a\\u16a0-\\u16ea\\u16ee-\\u16f8\\u1700-\\u1711\\u171f-\\u1731\\u1740-\\u1751\\u1760-\\u176c',
  '\\u176e-\\u1770\\u1780-\\u17b3\\u17d7\\u17dc\\u17e0-\\u17e9\\u17f0-\\u17f9\\u1810-\\u1819\\u1820-\\u1878',
  '\\u1880-\\u1884\\u1887-\\u18a8\\u18aa\\u18b0-\\u18f5\\u1900-\\u191e\\u1946-\\u196d\\u1970-\\u1974',
  '\\u1980-\\u19ab\\u19b0-\\u19c9\\u19d0-\\u19da\\u1a00-\\u1a16\\u1a20-\\u1a54\\u1a80-\\u1a89\\u1a90-\\u1a99',
  '\\u1aa7\\u1b05-\\u1b33\\u1b45-\\u1b4c\\u1b50-\\u1b59\\u1b83-\\u1ba0\\u1bae-\\u1be5\\u1c00-\\u1c23',
  '\\u1c40-\\u1c49\\u1c4d-\\u1c7d\\u1c80-\\u1c8a\\u1c90-\\u1cba\\u1cbd-\\u1cbf\\u1ce9-\\u1cec\\u1cee-\\u1cf3',
  '\\u1cf5-\\u1cf6\\u1cfa\\u1d00-\\u1dbf\\u1e00-\\u1f15\\u1f18-\\u1f1d\\u1f20-\\u1f45\\u1f48-\\u1f4d',
  '\\u1f50-\\u1f57\\u1f59\\u1f5b\\u1f5d\\u1f5f-\\u1f7d\\u1f80-\\u1fb4\\u1fb6-\\u1fbc\\u1fbe\\u1fc2-\\u1fc4',
  '\\u1fc6-\\u1fcc\\u1fd0-\\u1fd3\\u1fd6-\\u1fdb\\u1fe0-\\u1fec\\u1ff2-\\u1ff4\\u1ff6-\\u1ffc\\u2070-\\u2071',
  '\\u2074-\\u2079\\u207f-\\u2089\\u2090-\\u209c\\u2102\\u2107\\u210a-\\u2113\\u2115\\u2119-\\u211d\\u2124',
  '\\u2126\\u2128\\u212a-\\u212d\\u212f-\\u2139\\u213c-\\u213f\\u2145-\\u2149\\u214e\\u2150-\\u2189',
  '\\u2460-\\u249b\\u24ea-\\u24ff\\u2776-\\u2793\\u2c00-\\u2ce4\\u2ceb-\\u2cee\\u2cf2-\\u2cf3\\u2cfd',
  '\\u2d00-\\u2d25\\u2d27\\u2d2d\\u2d30-\\u2d67\\u2d6f\\u2d80-\\u2d96\\u2da0-\\u2da6\\u2da8-\\u2dae',
  '\\u2db0-\\u2db6\\u2db8-\\u2dbe\\u2dc0-\\u2dc6\\u2dc8-\\u2dce\\u2dd0-\\u2dd6\\u2dd8-\\u2dde\\u2e2f',
  '\\u3005-\\u3007\\u3021-\\u3029\\u3031-\\u3035\\u3038-\\u303c\\u3041-\\u3096\\u309d-\\u309f\\u30a1-\\u30fa',
  '\\u30fc-\\u30ff\\u3105-\\u312f\\u3131-\\u318e\\u3192-\\u3195\\u31a0-\\u31bf\\u31f0-\\u31ff\\u3220-\\u3229',
  '\\u3248-\\u324f\\u3251-\\u325f\\u3280-\\u3289\\u32b1-\\u32bf\\u3400-\\u4dbf\\u4e00-\\ua48c\\ua4d0-\\ua4fd',
  '\\ua500-\\ua60c\\ua610-\\ua62b\\ua640-\\ua66e\\ua67f-\\ua69d\\ua6a0-\\ua6ef\\ua717-\\ua71f\\ua722-\\ua788',
  '\\ua78b-\\ua7dc\\ua7f1-\\ua801\\ua803-\\ua805\\ua807-\\ua80a\\ua80c-\\ua822\\ua830-\\ua835\\ua840-\\ua873',
  '\\ua882-\\ua8b3\\ua8d0-\\ua8d9\\ua8f2-\\ua8f7\\ua8fb\\ua8fd-\\ua8fe\\ua900-\\ua925\\ua930-\\ua946',
  '\\ua960-\\ua97c\\ua984-\\ua9b2\\ua9cf-\\ua9d9\\ua9e0-\\ua9e4\\ua9e6-\\ua9fe\\uaa00-\\uaa28\\uaa40-\\uaa42',
  '\\uaa44-\\uaa4b\\uaa50-\\uaa59\\uaa60-\\uaa76\\uaa7a\\uaa7e-\\uaaaf\\uaab1\\uaab5-\\uaab6\\uaab9-\\uaabd',
  '\\uaac0\\uaac2\\uaadb-\\uaadd\\uaae0-\\uaaea\\uaaf2-\\uaaf4\\uab01-\\uab06\\uab09-\\uab0e\\uab11-\\uab16',
  '\\uab20-\\uab26\\uab28-\\uab2e\\uab30-\\uab5a\\uab5c-\\uab69\\uab70-\\uabe2\\uabf0-\\uabf9\\uac00-\\ud7a3',
  '\\ud7b0-\\ud7c6\\ud7cb-\\ud7fb\\uf900-\\ufa6d\\ufa70-\\ufad9\\ufb00-\\ufb06\\ufb13-\\ufb17\\ufb1d',
  '\\ufb1f-\\ufb28\\ufb2a-\\ufb36\\ufb38-\\ufb3c\\ufb3e\\ufb40-\\ufb41\\ufb43-\\ufb44\\ufb46-\\ufbb1',
  '\\ufbd3-\\ufd3d\\ufd50-\\ufd8f\\ufd92-\\ufdc7\\ufdf0-\\ufdfb\\ufe70-\\ufe74\\ufe76-\\ufefc\\uff10-\\uff19',
  '\\uff21-\\uff3a\\uff41-\\uff5a\\uff66-\\uffbe\\uffc2-\\uffc7\\uffca-\\uffcf\\uffd2-\\uffd7\\uffda-\\uffdc',
  '\\U00010000-\\U0001000b\\U0001000d-\\U00010026\\U00010028-\\U0001003a\\U0001003c-\\U0001003d',
  '\\U0001003f-\\U0001004d\\U00010050-\\U0001005d\\U00010080-\\U000100fa\\U00010107-\\U00010133',
  '\\U00010140-\\U00010178\\U0001018a-\\U0001018b\\U00010280-\\U0001029c\\U000102a0-\\U000102d0',
  '\\U000102e1-\\U000102fb\\U00010300-\\U00010323\\U0001032d-\\U0001034a\\U00010350-\\U00010375',
  '\\U00010380-\\U0001039d\\U000103a0-\\U000103c3\\U000103c8-\\U000103cf\\U000103d1-\\U000103d5',
  '\\U00010400-\\U0001049d\\U000104a0-\\U000104a9\\U000104b0-\\U000104d3\\U000104d8-\\U000104fb',
  '\\U00010500-\\U00010527\\U00010530-\\U00010563\\U00010570-\\U0001057a\\U0001057c-\\U0001058a',
  '\\U0001058c-\\U00010592\\U00010594-\\U00010595\\U00010597-\\U000105a1\\U000105a3-\\U000105b1',
  '\\U000105b3-\\U000105b9\\U000105bb-\\U000105bc\\U000105c0-\\U000105f3\\U00010600-\\U00010736',
  '\\U00010740-\\U00010755\\U00010760-\\U00010767\\U00010780-\\U00010785\\U00010787-\\U000107b0',
  '\\U000107b2-\\U000107ba\\U00010800-\\U00010805\\U00010808\\U0001080a-\\U00010835',
  '\\U00010837-\\U00010838\\U0001083c\\U0001083f-\\U00010855\\U00010858-\\U00010876',
  '\\U00010879-\\U0001089e\\U000108a7-\\U000108af\\U000108e0-\\U000108f2\\U000108f4-\\U000108f5',
  '\\U000108fb-\\U0001091b\\U00010920-\\U00010939\\U00010940-\\U00010959\\U00010980-\\U000109b7',
  '\\U000109bc-\\U000109cf\\U000109d2-\\U00010a00\\U00010a10-\\U00010a13\\U00010a15-\\U00010a17',
  '\\U00010a19-\\U00010a35\\U00010a40-\\U00010a48\\U00010a60-\\U00010a7e\\U00010a80-\\U00010a9f',
  '\\U00010ac0-\\U00010ac7\\U00010ac9-\\U00010ae4\\U00010aeb-\\U00010aef\\U00010b00-\\U00010b35',
  '\\U00010b40-\\U00010b55\\U00010b58-\\U00010b72\\U00010b78-\\U00010b91\\U00010ba9-\\U00010baf',
  '\\U00010c00-\\U00010c48\\U00010c80-\\U00010cb2\\U00010cc0-\\U00010cf2\\U00010cfa-\\U00010d23',
  '\\U00010d30-\\U00010d39\\U00010d40-\\U00010d65\\U00010d6f-\\U00010d85\\U00010e60-\\U00010e7e',
  '\\U00010e80-\\U00010ea9\\U00010eb0-\\U00010eb1\\U00010ec2-\\U00010ec7\\U00010f00-\\U00010f27',
  '\\U00010f30-\\U00010f45\\U00010f51-\\U00010f54\\U00010f70-\\U00010f81\\U00010fb0-\\U00010fcb',
  '\\U00010fe0-\\U00010ff6\\U00011003-\\U00011037\\U00011052-\\U0001106f\\U00011071-\\U00011072',
  '\\U00011075\\U00011083-\\U000110af\\U000110d0-\\U000110e8\\U000110f0-\\U000110f9',
  '\\U00011103-\\U00011126\\U00011136-\\U0001113f\\U00011144\\U00011147\\U00011150-\\U00011172',
  '\\U00011176\\U00011183-\\U000111b2\\U000111c1-\\U000111c4\\U000111d0-\\U000111da\\U000111dc',
  '\\U000111e1-\\U000111f4\\U00011200-\\U00011211\\U00011213-\\U0001122b\\U0001123f-\\U00011240',
  '\\U00011280-\\U00011286\\U00011288\\U0001128a-\\U0001128d\\U0001128f-\\U0001129d',
  '\\U0001129f-\\U000112a8\\U000112b0-\\U000112de\\U000112f0-\\U000112f9\\U00011305-\\U0001130c',
  '\\U0001130f-\\U00011310\\U00011313-\\U00011328\\U0001132a-\\U00011330\\U00011332-\\U00011333',
  '\\U00011335-\\U00011339\\U0001133d\\U00011350\\U0001135d-\\U00011361\\U00011380-\\U00011389',
  '\\U0001138b\\U0001138e\\U00011390-\\U000113b5\\U000113b7\\U000113d1\\U000113d3\\U00011400-\\U00011434',
  '\\U00011447-\\U0001144a\\U00011450-\\U00011459\\U0001145f-\\U00011461\\U00011480-\\U000114af',
  '\\U000114c4-\\U000114c5\\U000114c7\\U000114d0-\\U000114d9\\U00011580-\\U000115ae',
  '\\U000115d8-\\U000115db\\U00011600-\\U0001162f\\U00011644\\U00011650-\\U00011659',
  '\\U00011680-\\U000116aa\\U000116b8\\U000116c0-\\U000116c9\\U000116d0-\\U000116e3',
  '\\U00011700-\\U0001171a\\U00011730-\\U0001173b\\U00011740-\\U00011746\\U00011800-\\U0001182b',
  '\\U000118a0-\\U000118f2\\U000118ff-\\U00011906\\U00011909\\U0001190c-\\U00011913',
  '\\U00011915-\\U00011916\\U00011918-\\U0001192f\\U0001193f\\U00011941\\U00011950-\\U00011959',
  '\\U000119a0-\\U000119a7\\U000119aa-\\U000119d0\\U000119e1\\U000119e3\\U00011a00',
  '\\U00011a0b-\\U00011a32\\U00011a3a\\U00011a50\\U00011a5c-\\U00011a89\\U00011a9d',
  '\\U00011ab0-\\U00011af8\\U00011bc0-\\U00011be0\\U00011bf0-\\U00011bf9\\U00011c00-\\U00011c08',
  '\\U00011c0a-\\U00011c2e\\U00011c40\\U00011c50-\\U00011c6c\\U00011c72-\\U00011c8f',
  '\\U00011d00-\\U00011d06\\U00011d08-\\U00011d09\\U00011d0b-\\U00011d30\\U00011d46',
  '\\U00011d50-\\U00011d59\\U00011d60-\\U00011d65\\U00011d67-\\U00011d68\\U00011d6a-\\U00011d89',
  '\\U00011d98\\U00011da0-\\U00011da9\\U00011db0-\\U00011ddb\\U00011de0-\\U00011de9',
  '\\U00011ee0-\\U00011ef2\\U00011f02\\U00011f04-\\U00011f10\\U00011f12-\\U00011f33',
  '\\U00011f50-\\U00011f59\\U00011fb0\\U00011fc0-\\U00011fd4\\U00012000-\\U00012399',
  '\\U00012400-\\U0001246e\\U00012480-\\U00012543\\U00012f90-\\U00012ff0\\U00013000-\\U0001342f',
  '\\U00013441-\\U00013446\\U00013460-\\U000143fa\\U00014400-\\U00014646\\U00016100-\\U0001611d',
  '\\U00016130-\\U00016139\\U00016800-\\U00016a38\\U00016a40-\\U00016a5e\\U00016a60-\\U00016a69',
  '\\U00016a70-\\U00016abe\\U00016ac0-\\U00016ac9\\U00016ad0-\\U00016aed\\U00016b00-\\U00016b2f',
  '\\U00016b40-\\U00016b43\\U00016b50-\\U00016b59\\U00016b5b-\\U00016b61\\U00016b63-\\U00016b77',
  '\\U00016b7d-\\U00016b8f\\U00016d40-\\U00016d6c\\U00016d70-\\U00016d79\\U00016e40-\\U00016e96',
  '\\U00016ea0-\\U00016eb8\\U00016ebb-\\U00016ed3\\U00016f00-\\U00016f4a\\U00016f50',
  '\\U00016f93-\\U00016f9f\\U00016fe0-\\U00016fe1\\U00016fe3\\U00016ff2-\\U00016ff6',
  '\\U00017000-\\U00018cd5\\U00018cff-\\U00018d1e\\U00018d80-\\U00018df2\\U0001aff0-\\U0001aff3',
  '\\U0001aff5-\\U0001affb\\U0001affd-\\U0001affe\\U0001b000-\\U0001b122\\U0001b132',
  '\\U0001b150-\\U0001b152\\U0001b155\\U0001b164-\\U0001b167\\U0001b170-\\U0001b2fb',
  '\\U0001bc00-\\U0001bc6a\\U0001bc70-\\U0001bc7c\\U0001bc80-\\U0001bc88\\U0001bc90-\\U0001bc99',
  '\\U0001ccf0-\\U0001ccf9\\U0001d2c0-\\U0001d2d3\\U0001d2e0-\\U0001d2f3\\U0001d360-\\U0001d378',
  '\\U0001d400-\\U0001d454\\U0001d456-\\U0001d49c\\U0001d49e-\\U0001d49f\\U0001d4a2',
  '\\U0001d4a5-\\U0001d4a6\\U0001d4a9-\\U0001d4ac\\U0001d4ae-\\U0001d4b9\\U0001d4bb',
  '\\U0001d4bd-\\U0001d4c3\\U0001d4c5-\\U0001d505\\U0001d507-\\U0001d50a\\U0001d50d-\\U0001d514',
  '\\U0001d516-\\U0001d51c\\U0001d51e-\\U0001d539\\U0001d53b-\\U0001d53e\\U0001d540-\\U0001d544',
  '\\U0001d546\\U0001d54a-\\U0001d550\\U0001d552-\\U0001d6a5\\U0001d6a8-\\U0001d6c0',
  '\\U0001d6c2-\\U0001d6da\\U0001d6dc-\\U0001d6fa\\U0001d6fc-\\U0001d714\\U0001d716-\\U0001d734',
  '\\U0001d736-\\U0001d74e\\U0001d750-\\U0001d76e\\U0001d770-\\U0001d788\\U0001d78a-\\U0001d7a8',
  '\\U0001d7aa-\\U0001d7c2\\U0001d7c4-\\U0001d7cb\\U0001d7ce-\\U0001d7ff\\U0001df00-\\U0001df1e',
  '\\U0001df25-\\U0001df2a\\U0001e030-\\U0001e06d\\U0001e100-\\U0001e12c\\U0001e137-\\U0001e13d',
  '\\U0001e140-\\U0001e149\\U0001e14e\\U0001e290-\\U0001e2ad\\U0001e2c0-\\U0001e2eb',
  '\\U0001e2f0-\\U0001e2f9\\U0001e4d0-\\U0001e4eb\\U0001e4f0-\\U0001e4f9\\U0001e5d0-\\U0001e5ed',
  '\\U0001e5f0-\\U0001e5fa\\U0001e6c0-\\U0001e6de\\U0001e6e0-\\U0001e6e2\\U0001e6e4-\\U0001e6e5',
  '\\U0001e6e7-\\U0001e6ed\\U0001e6f0-\\U0001e6f4\\U0001e6fe-\\U0001e6ff\\U0001e7e0-\\U0001e7e6',
  '\\U0001e7e8-\\U0001e7eb\\U0001e7ed-\\U0001e7ee\\U0001e7f0-\\U0001e7fe\\U0001e800-\\U0001e8c4',
  '\\U0001e8c7-\\U0001e8cf\\U0001e900-\\U0001e943\\U0001e94b\\U0001e950-\\U0001e959',
  '\\U0001ec71-\\U0001ecab\\U0001ecad-\\U0001ecaf\\U0001ecb1-\\U0001ecb4\\U0001ed01-\\U0001ed2d',
  '\\U0001ed2f-\\U0001ed3d\\U0001ee00-\\U0001ee03\\U0001ee05-\\U0001ee1f\\U0001ee21-\\U0001ee22',
  '\\U0001ee24\\U0001ee27\\U0001ee29-\\U0001ee32\\U0001ee34-\\U0001ee37\\U0001ee39\\U0001ee3b\\U0001ee42',
  '\\U0001ee47\\U0001ee49\\U0001ee4b\\U0001ee4d-\\U0001ee4f\\U0001ee51-\\U0001ee52\\U0001ee54\\U0001ee57',
  '\\U0001ee59\\U0001ee5b\\U0001ee5d\\U0001ee5f\\U0001ee61-\\U0001ee62\\U0001ee64\\U0001ee67-\\U0001ee6a',
  '\\U0001ee6c-\\U0001ee72\\U0001ee74-\\U0001ee77\\U0001ee79-\\U0001ee7c\\U0001ee7e',
  '\\U0001ee80-\\U0001ee89\\U0001ee8b-\\U0001ee9b\\U0001eea1-\\U0001eea3\\U0001eea5-\\U0001eea9',
  '\\U0001eeab-\\U0001eebb\\U0001f100-\\U0001f10c\\U0001fbf0-\\U0001fbf9\\U00020000-\\U0002a6df',
  '\\U0002a700-\\U0002b81d\\U0002b820-\\U0002cead\\U0002ceb0-\\U0002ebe0\\U0002ebf0-\\U0002ee5d',
  '\\U0002f800-\\U0002fa1d\\U00030000-\\U0003134a\\U00031350-\\U00033479',
].join('');

export const MARK = [
  '\\u0300-\\u036f\\u0483-\\u0489\\u0591-\\u05bd\\u05bf\\u05c1-\\u05c2\\u05c4-\\u05c5\\u05c7\\u0610-\\u061a',
  '\\u064b-\\u065f\\u0670\\u06d6-\\u06dc\\u06df-\\u06e4\\u06e7-\\u06e8\\u06ea-\\u06ed\\u0711\\u0730-\\u074a',
  '\\u07a6-\\u07b0\\u07eb-\\u07f3\\u07fd\\u0816-\\u0819\\u081b-\\u0823\\u0825-\\u0827\\u0829-\\u082d',
  '\\u0859-\\u085b\\u0897-\\u089f\\u08ca-\\u08e1\\u08e3-\\u0903\\u093a-\\u093c\\u093e-\\u094f\\u0951-\\u0957',
  '\\u0962-\\u0963\\u0981-\\u0983\\u09bc\\u09be-\\u09c4\\u09c7-\\u09c8\\u09cb-\\u09cd\\u09d7\\u09e2-\\u09e3',
  '\\u09fe\\u0a01-\\u0a03\\u0a3c\\u0a3e-\\u0a42\\u0a47-\\u0a48\\u0a4b-\\u0a4d\\u0a51\\u0a70-\\u0a71\\u0a75',
  '\\u0a81-\\u0a83\\u0abc\\u0abe-\\u0ac5\\u0ac7-\\u0ac9\\u0acb-\\u0acd\\u0ae2-\\u0ae3\\u0afa-\\u0aff',
  '\\u0b01-\\u0b03\\u0b3c\\u0b3e-\\u0b44\\u0b47-\\u0b48\\u0b4b-\\u0b4d\\u0b55-\\u0b57\\u0b62-\\u0b63\\u0b82',
  '\\u0bbe-\\u0bc2\\u0bc6-\\u0bc8\\u0bca-\\u0bcd\\u0bd7\\u0c00-\\u0c04\\u0c3c\\u0c3e-\\u0c44\\u0c46-\\u0c48',
  '\\u0c4a-\\u0c4d\\u0c55-\\u0c56\\u0c62-\\u0c63\\u0c81-\\u0c83\\u0cbc\\u0cbe-\\u0cc4\\u0cc6-\\u0cc8',
  '\\u0cca-\\u0ccd\\u0cd5-\\u0cd6\\u0ce2-\\u0ce3\\u0cf3\\u0d00-\\u0d03\\u0d3b-\\u0d3c\\u0d3e-\\u0d44',
  '\\u0d46-\\u0d48\\u0d4a-\\u0d4d\\u0d57\\u0d62-\\u0d63\\u0d81-\\u0d83\\u0dca\\u0dcf-\\u0dd4\\u0dd6',
  '\\u0dd8-\\u0ddf\\u0df2-\\u0df3\\u0e31\\u0e34-\\u0e3a\\u0e47-\\u0e4e\\u0eb1\\u0eb4-\\u0ebc\\u0ec8-\\u0ece',
  '\\u0f18-\\u0f19\\u0f35\\u0f37\\u0f39\\u0f3e-\\u0f3f\\u0f71-\\u0f84\\u0f86-\\u0f87\\u0f8d-\\u0f97',
  '\\u0f99-\\u0fbc\\u0fc6\\u102b-\\u103e\\u1056-\\u1059\\u105e-\\u1060\\u1062-\\u1064\\u1067-\\u106d',
  '\\u1071-\\u1074\\u1082-\\u108d\\u108f\\u109a-\\u109d\\u135d-\\u135f\\u1712-\\u1715\\u1732-\\u1734',
  '\\u1752-\\u1753\\u1772-\\u1773\\u17b4-\\u17d3\\u17dd\\u180b-\\u180d\\u180f\\u1885-\\u1886\\u18a9',
  '\\u1920-\\u192b\\u1930-\\u193b\\u1a17-\\u1a1b\\u1a55-\\u1a5e\\u1a60-\\u1a7c\\u1a7f\\u1ab0-\\u1add',
  '\\u1ae0-\\u1aeb\\u1b00-\\u1b04\\u1b34-\\u1b44\\u1b6b-\\u1b73\\u1b80-\\u1b82\\u1ba1-\\u1bad\\u1be6-\\u1bf3',
  '\\u1c24-\\u1c37\\u1cd0-\\u1cd2\\u1cd4-\\u1ce8\\u1ced\\u1cf4\\u1cf7-\\u1cf9\\u1dc0-\\u1dff\\u20d0-\\u20f0',
  '\\u2cef-\\u2cf1\\u2d7f\\u2de0-\\u2dff\\u302a-\\u302f\\u3099-\\u309a\\ua66f-\\ua672\\ua674-\\ua67d',
  '\\ua69e-\\ua69f\\ua6f0-\\ua6f1\\ua802\\ua806\\ua80b\\ua823-\\ua827\\ua82c\\ua880-\\ua881\\ua8b4-\\ua8c5',
  '\\ua8e0-\\ua8f1\\ua8ff\\ua926-\\ua92d\\ua947-\\ua953\\ua980-\\ua983\\ua9b3-\\ua9c0\\ua9e5\\uaa29-\\uaa36',
  '\\uaa43\\uaa4c-\\uaa4d\\uaa7b-\\uaa7d\\uaab0\\uaab2-\\uaab4\\uaab7-\\uaab8\\uaabe-\\uaabf\\uaac1',
  '\\uaaeb-\\uaaef\\uaaf5-\\uaaf6\\uabe3-\\uabea\\uabec-\\uabed\\ufb1e\\ufe00-\\ufe0f\\ufe20-\\ufe2f',
  '\\U000101fd\\U000102e0\\U00010376-\\U0001037a\\U00010a01-\\U00010a03\\U00010a05-\\U00010a06',
  '\\U00010a0c-\\U00010a0f\\U00010a38-\\U00010a3a\\U00010a3f\\U00010ae5-\\U00010ae6',
  '\\U00010d24-\\U00010d27\\U00010d69-\\U00010d6d\\U00010eab-\\U00010eac\\U00010efa-\\U00010eff',
  '\\U00010f46-\\U00010f50\\U00010f82-\\U00010f85\\U00011000-\\U00011002\\U00011038-\\U00011046',
  '\\U00011070\\U00011073-\\U00011074\\U0001107f-\\U00011082\\U000110b0-\\U000110ba\\U000110c2',
  '\\U00011100-\\U00011102\\U00011127-\\U00011134\\U00011145-\\U00011146\\U00011173',
  '\\U00011180-\\U00011182\\U000111b3-\\U000111c0\\U000111c9-\\U000111cc\\U000111ce-\\U000111cf',
  '\\U0001122c-\\U00011237\\U0001123e\\U00011241\\U000112df-\\U000112ea\\U00011300-\\U00011303',
  '\\U0001133b-\\U0001133c\\U0001133e-\\U00011344\\U00011347-\\U00011348\\U0001134b-\\U0001134d',
  '\\U00011357\\U00011362-\\U00011363\\U00011366-\\U0001136c\\U00011370-\\U00011374',
  '\\U000113b8-\\U000113c0\\U000113c2\\U000113c5\\U000113c7-\\U000113ca\\U000113cc-\\U000113d0',
  '\\U000113d2\\U000113e1-\\U000113e2\\U00011435-\\U00011446\\U0001145e\\U000114b0-\\U000114c3',
  '\\U000115af-\\U000115b5\\U000115b8-\\U000115c0\\U000115dc-\\U000115dd\\U00011630-\\U00011640',
  '\\U000116ab-\\U000116b7\\U0001171d-\\U0001172b\\U0001182c-\\U0001183a\\U00011930-\\U00011935',
  '\\U00011937-\\U00011938\\U0001193b-\\U0001193e\\U00011940\\U00011942-\\U00011943',
  '\\U000119d1-\\U000119d7\\U000119da-\\U000119e0\\U000119e4\\U00011a01-\\U00011a0a',
  '\\U00011a33-\\U00011a39\\U00011a3b-\\U00011a3e\\U00011a47\\U00011a51-\\U00011a5b',
  '\\U00011a8a-\\U00011a99\\U00011b60-\\U00011b67\\U00011c2f-\\U00011c36\\U00011c38-\\U00011c3f',
  '\\U00011c92-\\U00011ca7\\U00011ca9-\\U00011cb6\\U00011d31-\\U00011d36\\U00011d3a',
  '\\U00011d3c-\\U00011d3d\\U00011d3f-\\U00011d45\\U00011d47\\U00011d8a-\\U00011d8e',
  '\\U00011d90-\\U00011d91\\U00011d93-\\U00011d97\\U00011ef3-\\U00011ef6\\U00011f00-\\U00011f01',
  '\\U00011f03\\U00011f34-\\U00011f3a\\U00011f3e-\\U00011f42\\U00011f5a\\U00013440',
  '\\U00013447-\\U00013455\\U0001611e-\\U0001612f\\U00016af0-\\U00016af4\\U00016b30-\\U00016b36',
  '\\U00016f4f\\U00016f51-\\U00016f87\\U00016f8f-\\U00016f92\\U00016fe4\\U00016ff0-\\U00016ff1',
  '\\U0001bc9d-\\U0001bc9e\\U0001cf00-\\U0001cf2d\\U0001cf30-\\U0001cf46\\U0001d165-\\U0001d169',
  '\\U0001d16d-\\U0001d172\\U0001d17b-\\U0001d182\\U0001d185-\\U0001d18b\\U0001d1aa-\\U0001d1ad',
  '\\U0001d242-\\U0001d244\\U0001da00-\\U0001da36\\U0001da3b-\\U0001da6c\\U0001da75\\U0001da84',
  '\\U0001da9b-\\U0001da9f\\U0001daa1-\\U0001daaf\\U0001e000-\\U0001e006\\U0001e008-\\U0001e018',
  '\\U0001e01b-\\U0001e021\\U0001e023-\\U0001e024\\U0001e026-\\U0001e02a\\U0001e08f',
  '\\U0001e130-\\U0001e136\\U0001e2ae\\U0001e2ec-\\U0001e2ef\\U0001e4ec-\\U0001e4ef',
  '\\U0001e5ee-\\U0001e5ef\\U0001e6e3\\U0001e6e6\\U0001e6ee-\\U0001e6ef\\U0001e6f5',
  '\\U0001e8d0-\\U0001e8d6\\U0001e944-\\U0001e94a\\U000e0100-\\U000e01ef',
].join('');

export const SPACE = [
  '\\u0009-\\u000d\\u0020\\u00a0\\u1680\\u2000-\\u200a\\u2028-\\u2029\\u202f\\u205f\\u3000\\ufeff',
].join('');

export const FOLDS = [
  '\\u00a0\\u00a8\\u00aa\\u00af\\u00b2-\\u00b5\\u00b8-\\u00ba\\u00bc-\\u00be\\u00c0-\\u00d6\\u00d8-\\u00f6',
  '\\u00f8-\\u017f\\u01a0-\\u01a1\\u01af-\\u01b0\\u01c4-\\u01dc\\u01de-\\u01e3\\u01e6-\\u01f5\\u01f8-\\u021b',
  '\\u021e-\\u021f\\u0226-\\u0233\\u02b0-\\u02b8\\u02d8-\\u02dd\\u02e0-\\u02e4\\u0300-\\u036f\\u0374\\u037a',
  '\\u037e\\u0384-\\u038a\\u038c\\u038e-\\u0390\\u03aa-\\u03b0\\u03ca-\\u03ce\\u03d0-\\u03d6\\u03f0-\\u03f2',
  '\\u03f4-\\u03f5\\u03f9\\u0400-\\u0401\\u0403\\u0407\\u040c-\\u040e\\u0419\\u0439\\u0450-\\u0451\\u0453',
  '\\u0457\\u045c-\\u045e\\u0476-\\u0477\\u0483-\\u0489\\u04c1-\\u04c2\\u04d0-\\u04d3\\u04d6-\\u04d7',
  '\\u04da-\\u04df\\u04e2-\\u04e7\\u04ea-\\u04f5\\u04f8-\\u04f9\\u0587\\u0591-\\u05bd\\u05bf\\u05c1-\\u05c2',
  '\\u05c4-\\u05c5\\u05c7\\u0610-\\u061a\\u0622-\\u0626\\u064b-\\u065f\\u0670\\u0675-\\u0678\\u06c0\\u06c2',
  '\\u06d3\\u06d6-\\u06dc\\u06df-\\u06e4\\u06e7-\\u06e8\\u06ea-\\u06ed\\u0711\\u0730-\\u074a\\u07a6-\\u07b0',
  '\\u07eb-\\u07f3\\u07fd\\u0816-\\u0819\\u081b-\\u0823\\u0825-\\u0827\\u0829-\\u082d\\u0859-\\u085b',
  '\\u0897-\\u089f\\u08ca-\\u08e1\\u08e3-\\u0903\\u0929\\u0931\\u0934\\u093a-\\u093c\\u093e-\\u094f',
  '\\u0951-\\u095f\\u0962-\\u0963\\u0981-\\u0983\\u09bc\\u09be-\\u09c4\\u09c7-\\u09c8\\u09cb-\\u09cd\\u09d7',
  '\\u09dc-\\u09dd\\u09df\\u09e2-\\u09e3\\u09fe\\u0a01-\\u0a03\\u0a33\\u0a36\\u0a3c\\u0a3e-\\u0a42',
  '\\u0a47-\\u0a48\\u0a4b-\\u0a4d\\u0a51\\u0a59-\\u0a5b\\u0a5e\\u0a70-\\u0a71\\u0a75\\u0a81-\\u0a83\\u0abc',
  '\\u0abe-\\u0ac5\\u0ac7-\\u0ac9\\u0acb-\\u0acd\\u0ae2-\\u0ae3\\u0afa-\\u0aff\\u0b01-\\u0b03\\u0b3c',
  '\\u0b3e-\\u0b44\\u0b47-\\u0b48\\u0b4b-\\u0b4d\\u0b55-\\u0b57\\u0b5c-\\u0b5d\\u0b62-\\u0b63\\u0b82\\u0b94',
  '\\u0bbe-\\u0bc2\\u0bc6-\\u0bc8\\u0bca-\\u0bcd\\u0bd7\\u0c00-\\u0c04\\u0c3c\\u0c3e-\\u0c44\\u0c46-\\u0c48',
  '\\u0c4a-\\u0c4d\\u0c55-\\u0c56\\u0c62-\\u0c63\\u0c81-\\u0c83\\u0cbc\\u0cbe-\\u0cc4\\u0cc6-\\u0cc8',
  '\\u0cca-\\u0ccd\\u0cd5-\\u0cd6\\u0ce2-\\u0ce3\\u0cf3\\u0d00-\\u0d03\\u0d3b-\\u0d3c\\u0d3e-\\u0d44',
  '\\u0d46-\\u0d48\\u0d4a-\\u0d4d\\u0d57\\u0d62-\\u0d63\\u0d81-\\u0d83\\u0dca\\u0dcf-\\u0dd4\\u0dd6',
  '\\u0dd8-\\u0ddf\\u0df2-\\u0df3\\u0e31\\u0e33-\\u0e3a\\u0e47-\\u0e4e\\u0eb1\\u0eb3-\\u0ebc\\u0ec8-\\u0ece',
  '\\u0edc-\\u0edd\\u0f0c\\u0f18-\\u0f19\\u0f35\\u0f37\\u0f39\\u0f3e-\\u0f3f\\u0f43\\u0f4d\\u0f52\\u0f57',
  '\\u0f5c\\u0f69\\u0f71-\\u0f84\\u0f86-\\u0f87\\u0f8d-\\u0f97\\u0f99-\\u0fbc\\u0fc6\\u1026\\u102b-\\u103e',
  '\\u1056-\\u1059\\u105e-\\u1060\\u1062-\\u1064\\u1067-\\u106d\\u1071-\\u1074\\u1082-\\u108d\\u108f',
  '\\u109a-\\u109d\\u10fc\\u135d-\\u135f\\u1712-\\u1715\\u1732-\\u1734\\u1752-\\u1753\\u1772-\\u1773',
  '\\u17b4-\\u17d3\\u17dd\\u180b-\\u180d\\u180f\\u1885-\\u1886\\u18a9\\u1920-\\u192b\\u1930-\\u193b',
  '\\u1a17-\\u1a1b\\u1a55-\\u1a5e\\u1a60-\\u1a7c\\u1a7f\\u1ab0-\\u1add\\u1ae0-\\u1aeb\\u1b00-\\u1b04\\u1b06',
  '\\u1b08\\u1b0a\\u1b0c\\u1b0e\\u1b12\\u1b34-\\u1b44\\u1b6b-\\u1b73\\u1b80-\\u1b82\\u1ba1-\\u1bad',
  '\\u1be6-\\u1bf3\\u1c24-\\u1c37\\u1cd0-\\u1cd2\\u1cd4-\\u1ce8\\u1ced\\u1cf4\\u1cf7-\\u1cf9\\u1d2c-\\u1d2e',
  '\\u1d30-\\u1d3a\\u1d3c-\\u1d4d\\u1d4f-\\u1d6a\\u1d78\\u1d9b-\\u1e9b\\u1e9e\\u1ea0-\\u1ef9\\u1f00-\\u1f15',
  '\\u1f18-\\u1f1d\\u1f20-\\u1f45\\u1f48-\\u1f4d\\u1f50-\\u1f57\\u1f59\\u1f5b\\u1f5d\\u1f5f-\\u1f7d',
  '\\u1f80-\\u1fb4\\u1fb6-\\u1fc4\\u1fc6-\\u1fd3\\u1fd6-\\u1fdb\\u1fdd-\\u1fef\\u1ff2-\\u1ff4\\u1ff6-\\u1ffe',
  '\\u2000-\\u200a\\u2011\\u2017\\u2024-\\u2026\\u202f\\u2033-\\u2034\\u2036-\\u2037\\u203c\\u203e',
  '\\u2047-\\u2049\\u2057\\u205f\\u2070-\\u2071\\u2074-\\u208e\\u2090-\\u209c\\u20a8\\u20d0-\\u20f0',
  '\\u2100-\\u2103\\u2105-\\u2107\\u2109-\\u2113\\u2115-\\u2116\\u2119-\\u211d\\u2120-\\u2122\\u2124\\u2126',
  '\\u2128\\u212a-\\u212d\\u212f-\\u2131\\u2133-\\u2139\\u213b-\\u2140\\u2145-\\u2149\\u2150-\\u217f\\u2189',
  '\\u219a-\\u219b\\u21ae\\u21cd-\\u21cf\\u2204\\u2209\\u220c\\u2224\\u2226\\u222c-\\u222d\\u222f-\\u2230',
  '\\u2241\\u2244\\u2247\\u2249\\u2260\\u2262\\u226d-\\u2271\\u2274-\\u2275\\u2278-\\u2279\\u2280-\\u2281',
  '\\u2284-\\u2285\\u2288-\\u2289\\u22ac-\\u22af\\u22e0-\\u22e3\\u22ea-\\u22ed\\u2329-\\u232a\\u2460-\\u24ea',
  '\\u2a0c\\u2a74-\\u2a76\\u2adc\\u2c7c-\\u2c7d\\u2cef-\\u2cf1\\u2d6f\\u2d7f\\u2de0-\\u2dff\\u2e9f\\u2ef3',
  '\\u2f00-\\u2fd5\\u3000\\u302a-\\u302f\\u3036\\u3038-\\u303a\\u304c\\u304e\\u3050\\u3052\\u3054\\u3056',
  '\\u3058\\u305a\\u305c\\u305e\\u3060\\u3062\\u3065\\u3067\\u3069\\u3070-\\u3071\\u3073-\\u3074',
  '\\u3076-\\u3077\\u3079-\\u307a\\u307c-\\u307d\\u3094\\u3099-\\u309c\\u309e-\\u309f\\u30ac\\u30ae\\u30b0',
  '\\u30b2\\u30b4\\u30b6\\u30b8\\u30ba\\u30bc\\u30be\\u30c0\\u30c2\\u30c5\\u30c7\\u30c9\\u30d0-\\u30d1',
  '\\u30d3-\\u30d4\\u30d6-\\u30d7\\u30d9-\\u30da\\u30dc-\\u30dd\\u30f4\\u30f7-\\u30fa\\u30fe-\\u30ff',
  '\\u3131-\\u318e\\u3192-\\u319f\\u3200-\\u321e\\u3220-\\u3247\\u3250-\\u327e\\u3280-\\u33ff\\ua66f-\\ua672',
  '\\ua674-\\ua67d\\ua69c-\\ua69f\\ua6f0-\\ua6f1\\ua770\\ua7f1-\\ua7f4\\ua7f8-\\ua7f9\\ua802\\ua806\\ua80b',
  '\\ua823-\\ua827\\ua82c\\ua880-\\ua881\\ua8b4-\\ua8c5\\ua8e0-\\ua8f1\\ua8ff\\ua926-\\ua92d\\ua947-\\ua953',
  '\\ua980-\\ua983\\ua9b3-\\ua9c0\\ua9e5\\uaa29-\\uaa36\\uaa43\\uaa4c-\\uaa4d\\uaa7b-\\uaa7d\\uaab0',
  '\\uaab2-\\uaab4\\uaab7-\\uaab8\\uaabe-\\uaabf\\uaac1\\uaaeb-\\uaaef\\uaaf5-\\uaaf6\\uab5c-\\uab5f\\uab69',
  '\\uabe3-\\uabea\\uabec-\\uabed\\uac00-\\ud7a3\\uf900-\\ufa0d\\ufa10\\ufa12\\ufa15-\\ufa1e\\ufa20\\ufa22',
  '\\ufa25-\\ufa26\\ufa2a-\\ufa6d\\ufa70-\\ufad9\\ufb00-\\ufb06\\ufb13-\\ufb17\\ufb1d-\\ufb36\\ufb38-\\ufb3c',
  '\\ufb3e\\ufb40-\\ufb41\\ufb43-\\ufb44\\ufb46-\\ufbb1\\ufbd3-\\ufd3d\\ufd50-\\ufd8f\\ufd92-\\ufdc7',
  '\\ufdf0-\\ufdfc\\ufe00-\\ufe19\\ufe20-\\ufe44\\ufe47-\\ufe52\\ufe54-\\ufe66\\ufe68-\\ufe6b\\ufe70-\\ufe72',
  '\\ufe74\\ufe76-\\ufefc\\uff01-\\uffbe\\uffc2-\\uffc7\\uffca-\\uffcf\\uffd2-\\uffd7\\uffda-\\uffdc',
  '\\uffe0-\\uffe6\\uffe8-\\uffee\\U000101fd\\U000102e0\\U00010376-\\U0001037a\\U000105c9\\U000105e4',
  '\\U00010781-\\U00010785\\U00010787-\\U000107b0\\U000107b2-\\U000107ba\\U00010a01-\\U00010a03',
  '\\U00010a05-\\U00010a06\\U00010a0c-\\U00010a0f\\U00010a38-\\U00010a3a\\U00010a3f',
  '\\U00010ae5-\\U00010ae6\\U00010d24-\\U00010d27\\U00010d69-\\U00010d6d\\U00010eab-\\U00010eac',
  '\\U00010efa-\\U00010eff\\U00010f46-\\U00010f50\\U00010f82-\\U00010f85\\U00011000-\\U00011002',
  '\\U00011038-\\U00011046\\U00011070\\U00011073-\\U00011074\\U0001107f-\\U00011082\\U0001109a',
  '\\U0001109c\\U000110ab\\U000110b0-\\U000110ba\\U000110c2\\U00011100-\\U00011102',
  '\\U00011127-\\U00011134\\U00011145-\\U00011146\\U00011173\\U00011180-\\U00011182',
  '\\U000111b3-\\U000111c0\\U000111c9-\\U000111cc\\U000111ce-\\U000111cf\\U0001122c-\\U00011237',
  '\\U0001123e\\U00011241\\U000112df-\\U000112ea\\U00011300-\\U00011303\\U0001133b-\\U0001133c',
  '\\U0001133e-\\U00011344\\U00011347-\\U00011348\\U0001134b-\\U0001134d\\U00011357',
  '\\U00011362-\\U00011363\\U00011366-\\U0001136c\\U00011370-\\U00011374\\U00011383\\U00011385',
  '\\U0001138e\\U00011391\\U000113b8-\\U000113c0\\U000113c2\\U000113c5\\U000113c7-\\U000113ca',
  '\\U000113cc-\\U000113d0\\U000113d2\\U000113e1-\\U000113e2\\U00011435-\\U00011446\\U0001145e',
  '\\U000114b0-\\U000114c3\\U000115af-\\U000115b5\\U000115b8-\\U000115c0\\U000115dc-\\U000115dd',
  '\\U00011630-\\U00011640\\U000116ab-\\U000116b7\\U0001171d-\\U0001172b\\U0001182c-\\U0001183a',
  '\\U00011930-\\U00011935\\U00011937-\\U00011938\\U0001193b-\\U0001193e\\U00011940',
  '\\U00011942-\\U00011943\\U000119d1-\\U000119d7\\U000119da-\\U000119e0\\U000119e4',
  '\\U00011a01-\\U00011a0a\\U00011a33-\\U00011a39\\U00011a3b-\\U00011a3e\\U00011a47',
  '\\U00011a51-\\U00011a5b\\U00011a8a-\\U00011a99\\U00011b60-\\U00011b67\\U00011c2f-\\U00011c36',
  '\\U00011c38-\\U00011c3f\\U00011c92-\\U00011ca7\\U00011ca9-\\U00011cb6\\U00011d31-\\U00011d36',
  '\\U00011d3a\\U00011d3c-\\U00011d3d\\U00011d3f-\\U00011d45\\U00011d47\\U00011d8a-\\U00011d8e',
  '\\U00011d90-\\U00011d91\\U00011d93-\\U00011d97\\U00011ef3-\\U00011ef6\\U00011f00-\\U00011f01',
  '\\U00011f03\\U00011f34-\\U00011f3a\\U00011f3e-\\U00011f42\\U00011f5a\\U00013440',
  '\\U00013447-\\U00013455\\U0001611e-\\U0001612f\\U00016af0-\\U00016af4\\U00016b30-\\U00016b36',
  '\\U00016d68-\\U00016d6a\\U00016f4f\\U00016f51-\\U00016f87\\U00016f8f-\\U00016f92\\U00016fe4',
  '\\U00016ff0-\\U00016ff1\\U0001bc9d-\\U0001bc9e\\U0001ccd6-\\U0001ccf9\\U0001cf00-\\U0001cf2d',
  '\\U0001cf30-\\U0001cf46\\U0001d15e-\\U0001d169\\U0001d16d-\\U0001d172\\U0001d17b-\\U0001d182',
  '\\U0001d185-\\U0001d18b\\U0001d1aa-\\U0001d1ad\\U0001d1bb-\\U0001d1c0\\U0001d242-\\U0001d244',
  '\\U0001d400-\\U0001d454\\U0001d456-\\U0001d49c\\U0001d49e-\\U0001d49f\\U0001d4a2',
  '\\U0001d4a5-\\U0001d4a6\\U0001d4a9-\\U0001d4ac\\U0001d4ae-\\U0001d4b9\\U0001d4bb',
  '\\U0001d4bd-\\U0001d4c3\\U0001d4c5-\\U0001d505\\U0001d507-\\U0001d50a\\U0001d50d-\\U0001d514',
  '\\U0001d516-\\U0001d51c\\U0001d51e-\\U0001d539\\U0001d53b-\\U0001d53e\\U0001d540-\\U0001d544',
  '\\U0001d546\\U0001d54a-\\U0001d550\\U0001d552-\\U0001d6a5\\U0001d6a8-\\U0001d7cb',
  '\\U0001d7ce-\\U0001d7ff\\U0001da00-\\U0001da36\\U0001da3b-\\U0001da6c\\U0001da75\\U0001da84',
  '\\U0001da9b-\\U0001da9f\\U0001daa1-\\U0001daaf\\U0001e000-\\U0001e006\\U0001e008-\\U0001e018',
  '\\U0001e01b-\\U0001e021\\U0001e023-\\U0001e024\\U0001e026-\\U0001e02a\\U0001e030-\\U0001e06d',
  '\\U0001e08f\\U0001e130-\\U0001e136\\U0001e2ae\\U0001e2ec-\\U0001e2ef\\U0001e4ec-\\U0001e4ef',
  '\\U0001e5ee-\\U0001e5ef\\U0001e6e3\\U0001e6e6\\U0001e6ee-\\U0001e6ef\\U0001e6f5',
  '\\U0001e8d0-\\U0001e8d6\\U0001e944-\\U0001e94a\\U0001ee00-\\U0001ee03\\U0001ee05-\\U0001ee1f',
  '\\U0001ee21-\\U0001ee22\\U0001ee24\\U0001ee27\\U0001ee29-\\U0001ee32\\U0001ee34-\\U0001ee37',
  '\\U0001ee39\\U0001ee3b\\U0001ee42\\U0001ee47\\U0001ee49\\U0001ee4b\\U0001ee4d-\\U0001ee4f',
  '\\U0001ee51-\\U0001ee52\\U0001ee54\\U0001ee57\\U0001ee59\\U0001ee5b\\U0001ee5d\\U0001ee5f',
  '\\U0001ee61-\\U0001ee62\\U0001ee64\\U0001ee67-\\U0001ee6a\\U0001ee6c-\\U0001ee72',
  '\\U0001ee74-\\U0001ee77\\U0001ee79-\\U0001ee7c\\U0001ee7e\\U0001ee80-\\U0001ee89',
  '\\U0001ee8b-\\U0001ee9b\\U0001eea1-\\U0001eea3\\U0001eea5-\\U0001eea9\\U0001eeab-\\U0001eebb',
  '\\U0001f100-\\U0001f10a\\U0001f110-\\U0001f12e\\U0001f130-\\U0001f14f\\U0001f16a-\\U0001f16c',
  '\\U0001f190\\U0001f200-\\U0001f202\\U0001f210-\\U0001f23b\\U0001f240-\\U0001f248',
  '\\U0001f250-\\U0001f251\\U0001fbf0-\\U0001fbf9\\U0002f800-\\U0002fa1d\\U000e0100-\\U000e01ef',
].join('');

export const EXTRA = 'ßẞÆæŒœØøŁłĐđÐðÞþĦħıĸĿŀŉŊŋŦŧ';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    DO $check$ BEGIN
      IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'the search functions need a UTF8 database (normalize(), collation pg_unicode_fast); this one is %', pg_catalog.getdatabaseencoding()
          USING HINT = 'create the target database with ENCODING ''UTF8''';
      END IF;
    END $check$;
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
    CREATE SCHEMA IF NOT EXISTS search;
    COMMENT ON SCHEMA search IS 'Search keys of the parity check (mappings/search): immutable functions used by indexes';

    -- The letters NFKD keeps whole, mapped like unaccent (only when one is present).
    CREATE FUNCTION search.fold_letters(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN t !~ '[${EXTRA}]' THEN t ELSE
        replace(replace(replace(replace(replace(replace(replace(replace(
          translate(t, 'ØøŁłĐđÐðĦħıĸĿŀŉŊŋŦŧ', 'OoLlDdDdHhiqLlnNnTt'),
          'ß', 'ss'), 'ẞ', 'SS'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'Þ', 'TH'), 'þ', 'th')
      END;

    -- foldAccents(): NFKD, combining marks removed, then fold_letters. A text with no character
    -- that any of these steps changes is returned as it is (most text: ASCII, £, …).
    CREATE FUNCTION search.fold(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN CASE WHEN t !~ '[${FOLDS}]' THEN t ELSE
        search.fold_letters(regexp_replace(normalize(t, NFKD), '[${MARK}]+', '', 'g'))
      END;

    -- String.prototype.trim(): JS whitespace (\\s) at both ends.
    CREATE FUNCTION search.js_trim(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN regexp_replace(t, '^[${SPACE}]+|[${SPACE}]+$', '', 'g');

    -- fuzzystrmatch's soundex, bound here once (its schema is resolved when this is created).
    CREATE FUNCTION search.fuzzy_soundex(t text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      RETURN soundex(t);

    -- The keys below are plpgsql on purpose: PostgreSQL never inlines them, so a query that
    -- names one costs a function call instead of re-planning the whole expression with its
    -- Unicode tables (measured: 4–11 ms of planning per query when inlined, < 0.5 ms not).

    -- nameMatchKey(): fold, upper case, whitespace / apostrophes (' ’) / hyphens removed.
    CREATE FUNCTION search.name_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN regexp_replace(upper(search.fold(t) COLLATE pg_catalog.pg_unicode_fast), '[${SPACE}''’-]+', '', 'g');
      END
      $fn$;

    -- soundex(): fold, upper case, only A–Z kept, fuzzystrmatch soundex; no letters → NULL.
    CREATE FUNCTION search.soundex_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN nullif(search.fuzzy_soundex(regexp_replace(upper(search.fold(t) COLLATE pg_catalog.pg_unicode_fast) COLLATE pg_catalog."C", '[^A-Z]+', '', 'g')), '');
      END
      $fn$;

    -- tokenise(): lower case, fold, lower case, maximal runs of Unicode letters or digits; NULL → {}.
    CREATE FUNCTION search.tokens(t text) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000
      AS $fn$
      BEGIN
        RETURN coalesce(array_remove(regexp_split_to_array(
          lower(search.fold(lower(t COLLATE pg_catalog.pg_unicode_fast)) COLLATE pg_catalog.pg_unicode_fast),
          '[^${LETTER_OR_DIGIT}]+'), ''), '{}');
      END
      $fn$;

    -- S14 tokens as one text, separated by single spaces (tokens never hold a space): the form
    -- stored in record.event.search_tokens. '' when there is no token.
    CREATE FUNCTION search.token_text(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000
      AS $fn$
      BEGIN
        RETURN array_to_string(search.tokens(t), ' ');
      END
      $fn$;

    -- S14 index key of a token text: its tokens and its bigrams (two consecutive tokens and a
    -- space, 'car park') as tsvector lexemes, without positions. A word is a token, a two-token
    -- phrase a bigram (both answered by the index alone); a longer phrase needs all its bigrams,
    -- then the exact run. Lexemes over 2046 bytes cannot be indexed (tsvector would silently
    -- truncate them) and are left out; a text too big for one tsvector (1 MB) becomes the marker
    -- '~long', which no token or bigram can equal or start with. Queries check exactly whatever
    -- the index cannot hold (mappings/search/events.ts).
    CREATE FUNCTION search.tokens_tsv(tt text) RETURNS tsvector
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 100
      AS $fn$
      DECLARE
        tk text[];
        n integer;
        lexemes text[];
      BEGIN
        IF tt IS NULL OR tt = '' THEN RETURN ''::tsvector; END IF;
        tk := string_to_array(tt, ' ');
        n := cardinality(tk);
        IF n * 16 + octet_length(tt) * 3 > 900000 THEN RETURN '~long'::tsvector; END IF;
        lexemes := tk || ARRAY(SELECT a || ' ' || b FROM unnest(tk[1:n - 1], tk[2:n]) AS u(a, b));
        IF octet_length(tt) > 2045 THEN
          lexemes := ARRAY(SELECT x FROM unnest(lexemes) AS x WHERE octet_length(x) <= 2046);
        END IF;
        RETURN array_to_tsvector(lexemes);
      END
      $fn$;

    -- phoneSearchKey(): digits only, then a leading 0044 or else 44 read as 0; no digits → NULL.
    CREATE FUNCTION search.phone_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      DECLARE
        d text := regexp_replace(t, '[^0-9]+', '', 'g');
      BEGIN
        IF d LIKE '0044%' THEN RETURN '0' || substr(d, 5); END IF;
        IF d LIKE '44%' THEN RETURN '0' || substr(d, 3); END IF;
        RETURN nullif(d, '');
      END
      $fn$;

    -- S13 reference key: a CRIS number (1–10 digits below 10,000,000, a 2- or 4-digit year)
    -- → C<serial as a number>/<last two digits of the year>; anything else (a URN)
    -- → U<upper case>. Surrounding whitespace ignored; blank → NULL.
    CREATE FUNCTION search.ref_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      DECLARE
        v text := search.js_trim(t);
      BEGIN
        IF v IS NULL OR v = '' THEN RETURN NULL; END IF;
        IF v ~ '^[0-9]{1,10}/([0-9]{2}|[0-9]{4})$' THEN
          IF split_part(v, '/', 1)::bigint < 10000000 THEN
            RETURN 'C' || split_part(v, '/', 1)::bigint || '/' || right(v, 2);
          END IF;
        END IF;
        RETURN 'U' || upper(v COLLATE pg_catalog.pg_unicode_fast);
      END
      $fn$;

    -- Free-text field key (town, make, model, colour, borough): trimmed, lower case; blank → NULL.
    CREATE FUNCTION search.field_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN nullif(lower(search.js_trim(t) COLLATE pg_catalog.pg_unicode_fast), '');
      END
      $fn$;

    -- Code key (HO offence codes, boroughs): trimmed, upper case; blank → NULL.
    CREATE FUNCTION search.code_key(t text) RETURNS text
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 20
      AS $fn$
      BEGIN
        RETURN nullif(upper(search.js_trim(t) COLLATE pg_catalog.pg_unicode_fast), '');
      END
      $fn$;

    -- GIN indexes keep a small pending list (256 kB, default 4 MB): right after a load, before
    -- any VACUUM, every search scans the whole pending list (measured: ~10 ms per S14 query on a
    -- freshly loaded target with the default).

    -- People: primary names and aliases.
    CREATE INDEX person_search_name_idx ON record.person (search.name_key(surname));
    CREATE INDEX person_search_soundex_idx ON record.person (search.soundex_key(surname));
    CREATE INDEX person_search_dob_idx ON record.person (dob_precision, date_of_birth) WHERE date_of_birth IS NOT NULL;
    CREATE INDEX person_search_surname_trgm_idx ON record.person USING gin (search.name_key(surname) gin_trgm_ops) WITH (gin_pending_list_limit = 256);
    CREATE INDEX person_name_search_name_idx ON record.person_name (search.name_key(surname));
    CREATE INDEX person_name_search_soundex_idx ON record.person_name (search.soundex_key(surname));
    CREATE INDEX person_name_search_dob_idx ON record.person_name (dob_precision, date_of_birth) WHERE date_of_birth IS NOT NULL;

    -- Locations.
    CREATE INDEX location_search_postcode_idx ON record.location (postcode text_pattern_ops) WHERE postcode IS NOT NULL;
    CREATE INDEX location_search_street_idx ON record.location USING gin (search.tokens(street)) WITH (gin_pending_list_limit = 256);
    CREATE INDEX location_search_town_idx ON record.location (search.field_key(town));

    -- Objects.
    CREATE INDEX object_search_vrm_idx ON record.object (vrm) WHERE kind = 'vehicle';
    CREATE INDEX object_search_vrm_trgm_idx ON record.object USING gin (vrm gin_trgm_ops) WITH (gin_pending_list_limit = 256) WHERE kind = 'vehicle';
    CREATE INDEX object_search_make_idx ON record.object (search.field_key(make)) WHERE kind = 'vehicle';
    CREATE INDEX object_search_model_idx ON record.object (search.field_key(model)) WHERE kind = 'vehicle';
    CREATE INDEX object_search_colour_idx ON record.object (search.field_key(colour)) WHERE kind = 'vehicle';
    CREATE INDEX object_search_phone_idx ON record.object (search.phone_key(telephone)) WHERE kind = 'telephone';

    -- Events.
    ALTER TABLE record.event ADD COLUMN search_tokens text GENERATED ALWAYS AS (search.token_text(narrative)) STORED;
    COMMENT ON COLUMN record.event.search_tokens IS 'S14 tokens of narrative separated by single spaces (search.token_text); derived by PostgreSQL, never written by the loader';
    CREATE INDEX event_search_ref_idx ON record.event (search.ref_key(reference));
    CREATE INDEX event_search_tokens_idx ON record.event USING gin (search.tokens_tsv(search_tokens)) WITH (gin_pending_list_limit = 256);
    CREATE INDEX event_search_crime_idx ON record.event (search.code_key(classification_code), reported_at) WHERE kind = 'crime';
    CREATE INDEX event_search_grading_idx ON record.event (split_part(legacy_grading, ':', 1), reported_at) WHERE kind = 'intelligence';

    -- Audit (S19: who accessed an event; S20: disclosures about a record).
    CREATE INDEX audit_event_search_ref_idx ON audit.event (search.ref_key(entity_ref), occurred_at)
      WHERE operation IN ('consultation', 'disclosure') AND legacy_audit_id IS NOT NULL;
    CREATE INDEX audit_event_search_disclosure_idx ON audit.event (entity_id)
      WHERE operation = 'disclosure' AND legacy_audit_id IS NOT NULL;
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    ALTER TABLE record.event DROP COLUMN IF EXISTS search_tokens;
    DROP SCHEMA search CASCADE;
  `);
}
