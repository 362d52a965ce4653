// audit.event: append-only and hash-chained (target-schema.md, compliance.md s.62).
// The database itself refuses UPDATE, DELETE and TRUNCATE.
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE SCHEMA IF NOT EXISTS audit;

    CREATE TABLE audit.event (
      seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      occurred_at      timestamptz NOT NULL,
      actor            text NOT NULL,
      operation        text NOT NULL CHECK (operation IN ('collection','alteration','consultation','disclosure','combination','erasure')),
      justification    text,
      recipient        text,
      entity_type      text CHECK (entity_type IN ('person','event','location','object','search')),
      entity_id        uuid,
      entity_ref       text,
      detail           jsonb,
      origin           text NOT NULL CHECK (origin IN ('CRIS','CRIMINT','MIGRATION','RMS')),
      legacy_audit_id  text,
      prev_hash        bytea,
      hash             bytea,
      UNIQUE (origin, legacy_audit_id)
    );
    CREATE INDEX audit_event_entity_idx ON audit.event(entity_id) WHERE entity_id IS NOT NULL;
    CREATE INDEX audit_event_ref_idx ON audit.event(entity_ref, occurred_at) WHERE entity_ref IS NOT NULL;

    CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit.event is append-only: % is refused (DPA 2018 s.62)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END $$;

    CREATE TRIGGER audit_event_no_update_delete
      BEFORE UPDATE OR DELETE ON audit.event
      FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
    CREATE TRIGGER audit_event_no_truncate
      BEFORE TRUNCATE ON audit.event
      FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP SCHEMA audit CASCADE');
}
