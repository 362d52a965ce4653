// The POLE record schema (target-schema.md). Names are fixed: outside checks query them.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE SCHEMA IF NOT EXISTS record;

    CREATE TABLE record.person (
      id             uuid PRIMARY KEY,
      surname        text NOT NULL,
      forenames      text,
      date_of_birth  date,
      dob_precision  text NOT NULL CHECK (dob_precision IN ('day','month','year','unknown')),
      sex            text NOT NULL CHECK (sex IN ('male','female','unknown')),
      ethnicity      text CHECK (ethnicity IN ('IC1','IC2','IC3','IC4','IC5','IC6','IC9')),
      pnc_id         text,
      cro_no         text,
      restricted     boolean NOT NULL DEFAULT false,
      source_system  text NOT NULL CHECK (source_system IN ('CRIS','CRIMINT')),
      created_at     timestamptz,
      created_by     text,
      updated_at     timestamptz,
      updated_by     text
    );

    CREATE TABLE record.person_name (
      id             uuid PRIMARY KEY,
      person_id      uuid NOT NULL REFERENCES record.person(id) ON DELETE CASCADE,
      surname        text NOT NULL,
      forenames      text,
      date_of_birth  date,
      dob_precision  text NOT NULL CHECK (dob_precision IN ('day','month','year','unknown')),
      kind           text NOT NULL DEFAULT 'alias' CHECK (kind IN ('alias'))
    );
    CREATE INDEX person_name_person_idx ON record.person_name(person_id);

    CREATE TABLE record.location (
      id             uuid PRIMARY KEY,
      premises       text,
      street         text,
      locality       text,
      town           text,
      postcode       text,
      easting        integer,
      northing       integer,
      source_system  text NOT NULL CHECK (source_system IN ('CRIS','CRIMINT'))
    );

    CREATE TABLE record.object (
      id             uuid PRIMARY KEY,
      kind           text NOT NULL CHECK (kind IN ('vehicle','telephone')),
      vrm            text,
      make           text,
      model          text,
      colour         text,
      telephone      text,
      source_system  text NOT NULL CHECK (source_system IN ('CRIS','CRIMINT'))
    );

    CREATE TABLE record.event (
      id                    uuid PRIMARY KEY,
      kind                  text NOT NULL CHECK (kind IN ('crime','intelligence')),
      reference             text NOT NULL UNIQUE,
      occurred_from         timestamptz,
      occurred_to           timestamptz,
      reported_at           timestamptz NOT NULL,
      classification_code   text,
      classification_label  text,
      borough               text,
      status                text CHECK (status IN ('open','closed','no_crime','referred','active','archived')),
      narrative             text,
      officer               text,
      grading_source        text,
      grading_intel         text,
      grading_handling      text,
      legacy_grading        text,
      mopi_group            smallint CHECK (mopi_group BETWEEN 1 AND 3),
      review_due            date,
      restricted            boolean NOT NULL DEFAULT false,
      source_system         text NOT NULL CHECK (source_system IN ('CRIS','CRIMINT')),
      created_at            timestamptz,
      created_by            text,
      updated_at            timestamptz,
      updated_by            text
    );

    CREATE TABLE record.event_person (
      event_id   uuid NOT NULL REFERENCES record.event(id) ON DELETE CASCADE,
      person_id  uuid NOT NULL REFERENCES record.person(id) ON DELETE CASCADE,
      role       text NOT NULL CHECK (role IN ('victim','suspect','witness','accused','reporting_person','subject','associate','mentioned')),
      PRIMARY KEY (event_id, person_id, role)
    );
    CREATE INDEX event_person_person_idx ON record.event_person(person_id);

    CREATE TABLE record.event_location (
      event_id     uuid NOT NULL REFERENCES record.event(id) ON DELETE CASCADE,
      location_id  uuid NOT NULL REFERENCES record.location(id) ON DELETE CASCADE,
      role         text NOT NULL CHECK (role IN ('occurred_at','mentioned')),
      PRIMARY KEY (event_id, location_id, role)
    );
    CREATE INDEX event_location_location_idx ON record.event_location(location_id);

    CREATE TABLE record.event_object (
      event_id   uuid NOT NULL REFERENCES record.event(id) ON DELETE CASCADE,
      object_id  uuid NOT NULL REFERENCES record.object(id) ON DELETE CASCADE,
      role       text NOT NULL CHECK (role IN ('stolen','used','damaged','mentioned')),
      PRIMARY KEY (event_id, object_id, role)
    );
    CREATE INDEX event_object_object_idx ON record.event_object(object_id);

    CREATE TABLE record.person_location (
      person_id    uuid NOT NULL REFERENCES record.person(id) ON DELETE CASCADE,
      location_id  uuid NOT NULL REFERENCES record.location(id) ON DELETE CASCADE,
      role         text NOT NULL CHECK (role IN ('resides_at')),
      PRIMARY KEY (person_id, location_id, role)
    );
    CREATE INDEX person_location_location_idx ON record.person_location(location_id);

    CREATE TABLE record.person_object (
      person_id  uuid NOT NULL REFERENCES record.person(id) ON DELETE CASCADE,
      object_id  uuid NOT NULL REFERENCES record.object(id) ON DELETE CASCADE,
      role       text NOT NULL CHECK (role IN ('uses')),
      PRIMARY KEY (person_id, object_id, role)
    );
    CREATE INDEX person_object_object_idx ON record.person_object(object_id);
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP SCHEMA record CASCADE');
}
