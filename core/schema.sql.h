/* schema.sql.h - the migrations of the tether database, oldest first.
 * The steps of version k move user_version from k-1 to k. Never edit a step
 * that has shipped: add steps of the next version. Every table is
 * documented in README.md. */
struct migration {
    int version;
    const char *sql;
};

static const struct migration migrations[] = {
    /* 1: the first schema */
        {1, "CREATE TABLE imports ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"          /* people, pairs, meetings, survey */
    "  format TEXT NOT NULL,"        /* csv, ics, zoom, teams, meet, ... */
    "  path TEXT NOT NULL,"
    "  content_hash TEXT NOT NULL,"  /* fingerprint of the file's bytes */
    "  options TEXT,"                /* e.g. as-of date of a roster */
    "  imported_at TEXT NOT NULL,"
    "  rows_read INTEGER NOT NULL DEFAULT 0,"
    "  loaded INTEGER NOT NULL DEFAULT 0,"
    "  duplicates INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL DEFAULT 0,"
    "  unchanged INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX imports_hash ON imports(kind, content_hash);"},
    {1, "CREATE TABLE rejects ("
    "  id INTEGER PRIMARY KEY,"
    "  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,"
    "  line INTEGER NOT NULL,"
    "  column_name TEXT,"
    "  reason TEXT NOT NULL,"
    "  raw TEXT"
    ");"
    "CREATE INDEX rejects_import ON rejects(import_id);"},
    {1, "CREATE TABLE people ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id TEXT NOT NULL UNIQUE,"
    "  name TEXT,"
    "  email TEXT UNIQUE,"           /* lower case */
    "  joined_on TEXT,"              /* YYYY-MM-DD */
    "  left_on TEXT,"
    "  snapshot_as_of TEXT"          /* as-of of the snapshot that set
                                        the unversioned columns above */
    ");"},
    {1, "CREATE TABLE person_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  person INTEGER NOT NULL REFERENCES people(id),"
    "  valid_from TEXT NOT NULL,"    /* as-of date of the snapshot */
    "  work_mode TEXT NOT NULL CHECK (work_mode IN "
    "    ('remote','office','hybrid')),"
    "  site TEXT,"
    "  department TEXT,"
    "  timezone TEXT NOT NULL,"
    "  import_id INTEGER REFERENCES imports(id),"
    "  UNIQUE (person, valid_from)"
    ");"},
    {1, "CREATE TABLE person_attributes ("
    "  version INTEGER NOT NULL REFERENCES person_versions(id)"
    "    ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"          /* lower-case column name */
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (version, name)"
    ") WITHOUT ROWID;"},
    {1, "CREATE TABLE pairs ("
    "  id INTEGER PRIMARY KEY,"
    "  pair_id TEXT NOT NULL UNIQUE,"
    "  program TEXT,"
    "  mentor INTEGER NOT NULL REFERENCES people(id),"
    "  mentee INTEGER NOT NULL REFERENCES people(id),"
    "  started_on TEXT NOT NULL,"
    "  ended_on TEXT,"
    "  mentee_chose INTEGER,"        /* 1, 0 or NULL when unknown */
    "  cadence_days INTEGER NOT NULL DEFAULT 30 CHECK (cadence_days > 0),"
    "  import_id INTEGER REFERENCES imports(id)"
    ");"
    "CREATE INDEX pairs_mentor ON pairs(mentor);"
    "CREATE INDEX pairs_mentee ON pairs(mentee);"},
    {1, "CREATE TABLE contacts ("
    /* One row per contact and pair it is attributed to. The key puts a
     * pair's contacts together in time order, which is how the analyzer
     * reads them; (source_key, pair) is kept unique by the collector. */
    "  pair INTEGER NOT NULL REFERENCES pairs(id),"
    "  started_at INTEGER NOT NULL," /* Unix seconds, UTC */
    "  source_key TEXT NOT NULL,"    /* meeting_id, or UID + instance */
    "  duration_min REAL,"
    "  medium TEXT NOT NULL CHECK (medium IN "
    "    ('video','phone','in_person','chat','email','other')),"
    "  kind TEXT NOT NULL DEFAULT 'scheduled' CHECK (kind IN "
    "    ('scheduled','impromptu')),"
    "  summary_sent INTEGER,"        /* 1, 0 or NULL when unknown */
    "  content_hash INTEGER NOT NULL,"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),"
    "  PRIMARY KEY (pair, started_at, source_key)"
    ") WITHOUT ROWID;"
    "CREATE INDEX contacts_source ON contacts(source_key);"},
    {1, "CREATE TABLE surveys ("
    "  id INTEGER PRIMARY KEY,"
    "  survey_id TEXT NOT NULL UNIQUE"
    ");"},
    {1, "CREATE TABLE questions ("
    "  id INTEGER PRIMARY KEY,"
    "  survey INTEGER NOT NULL REFERENCES surveys(id),"
    "  question_id TEXT NOT NULL,"
    "  text TEXT,"
    "  construct TEXT NOT NULL DEFAULT 'other' CHECK (construct IN "
    "    ('satisfaction','belonging','goal_progress','nps','other')),"
    "  scale_min REAL,"
    "  scale_max REAL,"
    "  UNIQUE (survey, question_id)"
    ");"},
    {1, "CREATE TABLE responses ("
    "  id INTEGER PRIMARY KEY,"
    "  question INTEGER NOT NULL REFERENCES questions(id),"
    "  respondent INTEGER NOT NULL REFERENCES people(id),"
    "  submitted_at INTEGER NOT NULL," /* Unix seconds, UTC */
    "  value REAL,"
    "  text TEXT,"
    "  pair INTEGER REFERENCES pairs(id),"
    "  import_id INTEGER NOT NULL REFERENCES imports(id),"
    "  UNIQUE (question, respondent, submitted_at)"
    ");"
    "CREATE INDEX responses_time ON responses(submitted_at);"},
    {1, "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  created_at TEXT NOT NULL,"
    "  period_start TEXT NOT NULL,"
    "  period_end TEXT NOT NULL,"
    "  as_of TEXT NOT NULL,"
    "  params TEXT NOT NULL,"        /* JSON of every option */
    "  result TEXT"                  /* JSON of 3.6 without the pairs */
    ");"
    "CREATE INDEX runs_period ON runs(period_start, period_end);"},
    {1, "CREATE TABLE pair_health ("
    "  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  pair INTEGER NOT NULL REFERENCES pairs(id),"
    "  status TEXT NOT NULL,"
    "  days_active INTEGER, meetings INTEGER, minutes REAL,"
    "  contacts INTEGER, last_meeting TEXT, last_contact TEXT,"
    "  days_quiet INTEGER, cadence_adherence REAL, engagement REAL,"
    "  bridge INTEGER, tz_gap_hours REAL, overlap_hours REAL,"
    "  off_hours INTEGER, off_hours_mentor INTEGER,"
    "  off_hours_mentee INTEGER, in_person_share REAL,"
    "  impromptu_share REAL, summary_rate REAL, satisfaction REAL,"
    "  PRIMARY KEY (run, pair)"
    ") WITHOUT ROWID;"},
    {1, "CREATE TABLE metrics ("
    "  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    "  section TEXT NOT NULL,"       /* inclusion, surveys, comparisons */
    "  dimension TEXT NOT NULL,"
    "  segment TEXT NOT NULL,"
    "  construct TEXT NOT NULL DEFAULT '',"
    "  name TEXT NOT NULL,"
    "  value REAL,"                  /* NULL: unknown or suppressed */
    "  PRIMARY KEY (run, section, dimension, segment, construct, name)"
    ") WITHOUT ROWID;"},
    /* 2: the CHECK constraints of the two tables written in bulk become
     * chains of comparisons: for an IN list of more than two values,
     * SQLite builds a temporary table at every execution of an INSERT (a
     * quarter of the time of a meetings import). The new expressions
     * accept exactly the same values, so the schema text is edited in
     * place, as SQLite's ALTER TABLE documentation allows for constraint
     * changes that the stored rows satisfy; the ALTER TABLE that follows
     * makes SQLite read the edited schema. */
    {2, "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace(sql,"
    "  'CHECK (medium IN     (''video'',''phone'',''in_person'',''chat'',"
    "''email'',''other''))',"
    "  'CHECK (medium = ''video'' OR medium = ''phone'' OR "
    "medium = ''in_person'' OR medium = ''chat'' OR medium = ''email'' OR "
    "medium = ''other'')') WHERE type = 'table' AND name = 'contacts';"
    "UPDATE sqlite_schema SET sql = replace(sql,"
    "  'CHECK (work_mode IN     (''remote'',''office'',''hybrid''))',"
    "  'CHECK (work_mode = ''remote'' OR work_mode = ''office'' OR "
    "work_mode = ''hybrid'')') "
    "WHERE type = 'table' AND name = 'person_versions';"
    "PRAGMA writable_schema = OFF;"},
    /* 2: the work modes of the two sides on the last day of the period, as
     * the analysis used them; runs made before have none and are dropped
     * (they are derived data: the next analysis or report makes a new
     * one). */
    {2, "ALTER TABLE pair_health ADD COLUMN mentor_mode TEXT;"
    "ALTER TABLE pair_health ADD COLUMN mentee_mode TEXT;"
    "DELETE FROM runs;"},
    /* 3: disclosure control across published runs (SPEC 3.3 rule 3). A
     * run stores the last import it saw and whether it was published;
     * answers and roster versions that an import corrects keep their old
     * row in a history table with the import that superseded it, so that
     * every published run's segments can be recomputed exactly. Earlier
     * runs are unpublished. Pair rows carry no survey figure any more. */
    {3, "ALTER TABLE runs ADD COLUMN last_import INTEGER;"
    "ALTER TABLE runs ADD COLUMN published INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX runs_published ON runs(published, period_start);"
    "CREATE TABLE responses_history ("
    "  id INTEGER PRIMARY KEY,"
    "  response INTEGER NOT NULL,"   /* responses.id it was */
    "  question INTEGER NOT NULL,"
    "  respondent INTEGER NOT NULL,"
    "  submitted_at INTEGER NOT NULL,"
    "  value REAL,"
    "  text TEXT,"
    "  pair INTEGER,"
    "  import_id INTEGER NOT NULL,"  /* the import that stored it */
    "  superseded_by INTEGER NOT NULL" /* the import that corrected it */
    ");"
    "CREATE INDEX responses_history_time ON responses_history(submitted_at);"
    "CREATE TABLE person_versions_history ("
    "  id INTEGER PRIMARY KEY,"
    "  version INTEGER NOT NULL,"    /* person_versions.id it was */
    "  person INTEGER NOT NULL,"
    "  valid_from TEXT NOT NULL,"
    "  work_mode TEXT NOT NULL,"
    "  site TEXT,"
    "  department TEXT,"
    "  timezone TEXT NOT NULL,"
    "  import_id INTEGER,"
    "  superseded_by INTEGER NOT NULL"
    ");"
    "CREATE TABLE person_attributes_history ("
    "  history INTEGER NOT NULL REFERENCES person_versions_history(id),"
    "  name TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (history, name)"
    ") WITHOUT ROWID;"
    "ALTER TABLE pair_health DROP COLUMN satisfaction;"},
    /* 4: who began each contact (SPEC 1.3a: the sender of a message, the
     * organiser of a calendar event, meetings.csv's initiator column), the
     * metadata of the messages that became contacts (never a subject or a
     * body), what each messages import saw (whose mail, over which span:
     * absence of a summary is evidence only there), and the two figures of 3.1 that
     * count what happens between the meetings. */
    {4, "ALTER TABLE contacts ADD COLUMN initiator TEXT NOT NULL "
    "  DEFAULT 'unknown' CHECK (initiator = 'mentor' OR "
    "  initiator = 'mentee' OR initiator = 'unknown');"
    "CREATE TABLE messages ("
    "  source_key TEXT PRIMARY KEY," /* the contact's: msg:<Message-ID>,
                                        slack:<conversation>:<ts> */
    "  sender TEXT NOT NULL,"        /* lower-case address or Slack e-mail */
    "  recipients TEXT NOT NULL,"    /* direct recipients, ';'-separated */
    "  sent_at INTEGER NOT NULL,"    /* Unix seconds, UTC */
    "  import_id INTEGER NOT NULL REFERENCES imports(id)"
    ");"
    "CREATE TABLE message_imports ("
    "  import_id INTEGER PRIMARY KEY REFERENCES imports(id)"
    "    ON DELETE CASCADE,"
    "  scope TEXT NOT NULL CHECK (scope = 'organisation' OR "
    "    scope = 'mailbox' OR scope = 'chat'),"
    "  owner INTEGER REFERENCES people(id)," /* the mailbox's, when known */
    "  first_at INTEGER,"            /* first and last message seen, */
    "  last_at INTEGER,"             /* Unix seconds (NULL: none) */
    "  summary_window_hours REAL NOT NULL"
    ");"
    "ALTER TABLE pair_health ADD COLUMN between_contacts INTEGER;"
    "ALTER TABLE pair_health ADD COLUMN mentee_initiated INTEGER;"},
    /* 5: the two UNIQUE constraints of people become named unique indexes
     * with the same keys, so that a first roster snapshot (an empty
     * people table) can drop them and build them once after its rows
     * (collect/roster.c): kept row by row, the e-mail index alone took
     * half of a million-person load. An index that UNIQUE made holds
     * exactly the b-tree CREATE UNIQUE INDEX makes (the column, then the
     * rowid), so the schema text is edited in place as in version 2, and
     * writable_schema = RESET makes SQLite read it again. */
    {5, "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace(replace(sql,"
    "  '  person_id TEXT NOT NULL UNIQUE,', '  person_id TEXT NOT NULL,'),"
    "  '  email TEXT UNIQUE,', '  email TEXT,')"
    "  WHERE type = 'table' AND name = 'people';"
    "UPDATE sqlite_schema SET name = 'people_person_id',"
    "  sql = 'CREATE UNIQUE INDEX people_person_id ON people(person_id)'"
    "  WHERE type = 'index' AND name = 'sqlite_autoindex_people_1';"
    "UPDATE sqlite_schema SET name = 'people_email',"
    "  sql = 'CREATE UNIQUE INDEX people_email ON people(email)'"
    "  WHERE type = 'index' AND name = 'sqlite_autoindex_people_2';"
    "PRAGMA writable_schema = RESET;"
    /* 5: who each roster snapshot holds, one row a snapshot instead of a
     * write to every person it names: people.snapshot_as_of is now
     * written only when a snapshot sets the unversioned columns, and
     * "a newer snapshot holds this person" is read from here as well. */
    "CREATE TABLE roster_members ("
    "  import_id INTEGER PRIMARY KEY REFERENCES imports(id)"
    "    ON DELETE CASCADE,"
    "  as_of TEXT NOT NULL,"         /* the snapshot's as-of date */
    "  people BLOB NOT NULL"         /* bit k % 8 of byte k / 8: people.id
                                        k is in the snapshot */
    ");"},
};
