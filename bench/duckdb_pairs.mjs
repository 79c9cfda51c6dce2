// duckdb_pairs.mjs - the baseline of scripts/bench.sh: what an analyst
// fluent in SQL would run instead of tether, DuckDB over the same CSV
// exports, computing the same per-pair figures of one quarter (SPEC 3.1:
// meetings, minutes, contacts, last meeting, days quiet, status of every
// active pair), with the README's rules for meetings.csv: a row names its
// pair by pair_id, by mentor and mentee (person_id or e-mail, any case), or
// by a `;`-separated participants list of e-mails, and counts once for
// every pair whose two people are among its participants and whose dates
// contain its day (UTC); identical repeated rows count once.
//
//   node duckdb_pairs.mjs raw DATA START END OUT.csv [SECS]
//       the figures straight from DATA's CSV files
//   node duckdb_pairs.mjs load DATA DB.duckdb [SECS]
//       reads the CSV files into tables of a DuckDB database
//   node duckdb_pairs.mjs query DB.duckdb START END OUT.csv [SECS]
//       the figures from those tables
// SECS: a file to write the seconds DuckDB took into (from opening the
// database to the last row written: node's start and the loading of the
// module are not DuckDB's work).
//
// OUT.csv: pair_id,mentor,mentee,meetings,minutes,contacts,last_meeting,
// days_quiet,status sorted by pair_id, the layout tether_pairs.mjs writes
// from tether's analysis, so the two can be compared byte for byte.
// Thresholds are tether's defaults: 14 grace days, at risk beyond 1.5 and
// inactive beyond 2 cadences.
import { writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, ...args] = process.argv.slice(2);

const csv = (dir, name) =>
  `read_csv('${dir}/${name}', header = true, all_varchar = true)`;

// The sources the query reads: CSV files or loaded tables.
function sources(dir) {
  return {
    people1: csv(dir, 'people.csv'),
    people2: csv(dir, 'people-2.csv'),
    pairs: csv(dir, 'pairs.csv'),
    meetings: csv(dir, 'meetings.csv'),
  };
}
const tables = { people1: 'people1', people2: 'people2', pairs: 'pairs',
                 meetings: 'meetings' };

function figures(src, start, end) {
  const s = `DATE '${start}'`, e = `DATE '${end}'`;
  return `
WITH
-- every person, with the e-mail of the latest snapshot (people-2.csv)
ppl AS MATERIALIZED (
  SELECT trim(person_id) AS person_id,
         first(lower(trim(email)) ORDER BY snap DESC) AS email
  FROM (SELECT person_id, email, 1 AS snap FROM ${src.people1}
        UNION ALL SELECT person_id, email, 2 FROM ${src.people2})
  GROUP BY 1),
ids AS (SELECT person_id AS k, person_id FROM ppl),
mails AS (SELECT email AS k, person_id FROM ppl WHERE email IS NOT NULL),
pr AS MATERIALIZED (
  SELECT coalesce(trim(p.pair_id),
                  trim(p.mentor) || ':' || trim(p.mentee) || ':' ||
                  trim(p.started_on)) AS pair_id,
         coalesce(i1.person_id, m1.person_id) AS mentor,
         coalesce(i2.person_id, m2.person_id) AS mentee,
         CAST(trim(p.started_on) AS DATE) AS started,
         CAST(trim(p.ended_on) AS DATE) AS ended,
         coalesce(CAST(trim(p.cadence_days) AS INTEGER), 30) AS cadence
  FROM ${src.pairs} p
  LEFT JOIN ids i1 ON i1.k = trim(p.mentor)
  LEFT JOIN mails m1 ON m1.k = lower(trim(p.mentor))
  LEFT JOIN ids i2 ON i2.k = trim(p.mentee)
  LEFT JOIN mails m2 ON m2.k = lower(trim(p.mentee))),
m AS MATERIALIZED (
  SELECT row_number() OVER () AS row, trim(meeting_id) AS meeting_id,
         trim(pair_id) AS pair_id, trim(mentor) AS mentor,
         trim(mentee) AS mentee, participants,
         epoch(CAST(trim(started_at) AS TIMESTAMPTZ)) AS ts,
         CAST(CAST(trim(started_at) AS TIMESTAMPTZ) AS DATE) AS day,
         CAST(nullif(trim(duration_min), '') AS DOUBLE) AS minutes,
         lower(trim(medium)) IN ('video', 'phone', 'in_person', 'in-person',
                                 'in person') AS meeting
  FROM ${src.meetings}),
-- by pair_id
by_id AS (
  SELECT m.*, pr.pair_id AS pair, m.pair_id AS who
  FROM m JOIN pr ON pr.pair_id = m.pair_id
  WHERE m.pair_id IS NOT NULL
    AND m.day BETWEEN pr.started AND coalesce(pr.ended, DATE '9999-12-31')),
-- by mentor and mentee, in either order
named AS (
  SELECT m.*, coalesce(i1.person_id, m1.person_id) AS a,
         coalesce(i2.person_id, m2.person_id) AS b
  FROM m
  LEFT JOIN ids i1 ON i1.k = m.mentor
  LEFT JOIN mails m1 ON m1.k = lower(m.mentor)
  LEFT JOIN ids i2 ON i2.k = m.mentee
  LEFT JOIN mails m2 ON m2.k = lower(m.mentee)
  WHERE m.pair_id IS NULL AND (m.mentor IS NOT NULL OR m.mentee IS NOT NULL)),
by_people AS (
  SELECT n.* EXCLUDE (a, b), pr.pair_id AS pair,
         n.mentor || '>' || n.mentee AS who
  FROM named n JOIN pr ON (pr.mentor = n.a AND pr.mentee = n.b)
  WHERE n.day BETWEEN pr.started AND coalesce(pr.ended, DATE '9999-12-31')
  UNION ALL
  SELECT n.* EXCLUDE (a, b), pr.pair_id, n.mentor || '>' || n.mentee
  FROM named n JOIN pr ON (pr.mentor = n.b AND pr.mentee = n.a)
  WHERE n.day BETWEEN pr.started AND coalesce(pr.ended, DATE '9999-12-31')),
-- by participants: every pair with both people in the list
listed AS (
  SELECT m.row, mails.person_id
  FROM (SELECT row, unnest(string_split(participants, ';')) AS address
        FROM m WHERE m.pair_id IS NULL AND m.mentor IS NULL
          AND m.mentee IS NULL AND m.participants IS NOT NULL) m
  JOIN mails ON mails.k = lower(trim(m.address))),
by_list AS (
  SELECT DISTINCT m.*, pr.pair_id AS pair, m.participants AS who
  FROM listed l1 JOIN pr ON pr.mentor = l1.person_id
  JOIN listed l2 ON l2.row = l1.row AND l2.person_id = pr.mentee
  JOIN m ON m.row = l1.row
  WHERE m.day BETWEEN pr.started AND coalesce(pr.ended, DATE '9999-12-31')),
-- one contact per source key and pair (an identical repeat counts once)
contacts AS (
  SELECT DISTINCT pair,
         coalesce(meeting_id, 'csv:' || who || '@' || CAST(ts AS BIGINT)) AS k,
         ts, day, minutes, meeting
  FROM (SELECT * FROM by_id UNION ALL SELECT * FROM by_people
        UNION ALL SELECT * FROM by_list)),
active AS (
  SELECT pair_id, mentor, mentee, started, ended, cadence,
         least(coalesce(ended, ${e}), ${e}) AS "end"
  FROM pr
  WHERE started <= ${e} AND (ended IS NULL OR ended >= ${s})),
f AS (
  SELECT a.pair_id, a.mentor, a.mentee, a.started, a.ended, a.cadence, a."end",
         count(*) FILTER (c.meeting AND c.day BETWEEN ${s} AND a."end")
           AS meetings,
         coalesce(sum(c.minutes) FILTER (c.meeting AND
                                         c.day BETWEEN ${s} AND a."end"), 0)
           AS minutes,
         count(c.pair) FILTER (c.day BETWEEN ${s} AND a."end") AS contacts,
         max(c.day) FILTER (c.meeting AND c.day <= a."end") AS last_meeting
  FROM active a LEFT JOIN contacts c ON c.pair = a.pair_id
  GROUP BY ALL),
q AS (
  SELECT *, "end" - coalesce(last_meeting, started) AS days_quiet FROM f)
SELECT pair_id, mentor, mentee, meetings, minutes, contacts, last_meeting,
       days_quiet,
       CASE
         WHEN last_meeting IS NULL AND NOT coalesce(ended <= ${e}, false)
              AND ${e} - started <= 14 THEN 'new'
         WHEN last_meeting IS NULL THEN 'never_met'
         WHEN ended <= ${e} THEN 'ended'
         WHEN days_quiet > 2 * cadence THEN 'inactive'
         WHEN days_quiet > 1.5 * cadence THEN 'at_risk'
         ELSE 'active'
       END AS status
FROM q ORDER BY pair_id`;
}

async function writeFigures(conn, src, start, end, out) {
  await conn.run(`COPY (
    SELECT pair_id, mentor, mentee, meetings, printf('%.1f', minutes),
           contacts, coalesce(CAST(last_meeting AS VARCHAR), ''), days_quiet,
           status
    FROM (${figures(src, start, end)})
  ) TO '${out}' (HEADER false, QUOTE '', ESCAPE '')`);
}

async function main() {
  const t0 = performance.now();
  let secs;
  if (mode === 'raw') {
    const [dir, start, end, out] = args;
    secs = args[4];
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    await conn.run("SET TimeZone = 'UTC'");
    await writeFigures(conn, sources(dir), start, end, out);
  } else if (mode === 'load') {
    const [dir, db] = args;
    secs = args[2];
    const inst = await DuckDBInstance.create(db);
    const conn = await inst.connect();
    const src = sources(dir);
    for (const [t, from] of Object.entries(src))
      await conn.run(`CREATE OR REPLACE TABLE ${t} AS SELECT * FROM ${from}`);
  } else if (mode === 'query') {
    const [db, start, end, out] = args;
    secs = args[4];
    const inst = await DuckDBInstance.create(db);
    const conn = await inst.connect();
    await conn.run("SET TimeZone = 'UTC'");
    await writeFigures(conn, tables, start, end, out);
  } else {
    console.error('duckdb_pairs.mjs: raw, load or query');
    process.exit(2);
  }
  if (secs)
    writeFileSync(secs, ((performance.now() - t0) / 1000).toFixed(2) + '\n');
}
await main();
