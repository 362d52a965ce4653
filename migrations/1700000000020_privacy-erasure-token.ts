// Erasure tokens (compliance.md s.47 "Residual scan"): what is kept of an erased person so that
// the residual scan can look for their identifiers afterwards, without keeping the identifiers.
//
// One row per erasure: a random 32-byte salt and HMAC-SHA256(key = salt, message = `kind:value`)
// of the person's target id, PNC ID, CRO number and every surname+DOB form (see
// src/privacy/tokens.ts for the exact messages). `dob_hints` holds the first byte of the DOB-only
// hash of each DOB form: a 1-in-256 prefilter that lets the scan skip pairing words with dates
// that cannot be the DOB. Nothing here is an identifier; the actor and justification live in the
// erasure event of audit.event (audit_seq).
import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(`
    CREATE TABLE migration.erasure_token (
      erasure_id          uuid PRIMARY KEY,
      salt                bytea NOT NULL CHECK (length(salt) = 32),
      id_hash             bytea NOT NULL,
      pnc_hash            bytea,
      cro_hash            bytea,
      surname_dob_hashes  bytea[] NOT NULL DEFAULT '{}',
      dob_hints           smallint[] NOT NULL DEFAULT '{}',
      audit_seq           bigint,
      erased_at           timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE migration.erasure_token IS
      'Salted HMAC-SHA256 hashes of the identifiers of erased people (never the identifiers): residual scan and re-migration guard (src/privacy).';
  `);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  pgm.sql('DROP TABLE migration.erasure_token');
}
