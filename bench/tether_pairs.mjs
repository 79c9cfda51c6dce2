// tether_pairs.mjs - the per-pair figures of tether-analyze --format json
// in the layout duckdb_pairs.mjs writes (pair_id,mentor,mentee,meetings,
// minutes,contacts,last_meeting,days_quiet,status), sorted by pair_id, so
// that scripts/bench.sh can check that both computed the same thing.
//   node tether_pairs.mjs ANALYSIS.json OUT.csv
import { readFileSync, writeFileSync } from 'node:fs';

const [input, out] = process.argv.slice(2);
const { pairs } = JSON.parse(readFileSync(input, 'utf8'));
const lines = pairs.map((p) => [p.pair_id, p.mentor, p.mentee, p.meetings,
  p.minutes.toFixed(1), p.contacts, p.last_meeting ?? '', p.days_quiet,
  p.status].join(','));
lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
writeFileSync(out, lines.join('\n') + (lines.length ? '\n' : ''));
