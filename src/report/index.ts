// The report and the gate as a library: `cutover report` and `cutover gate` are thin wrappers.
//
//   const { summary, gate, files } = writeReport({ outDir: 'reports/latest', provenance: { options } });
//   process.exitCode = gate.go ? 0 : 1;
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { ResultKind, StoredResult, StoredResults } from './store.ts';
import { buildSummary, type SummaryOptions } from './summary.ts';
import { withDigest } from './digest.ts';
import type { TargetResults } from './load.ts';
import { loadHistory, recordRehearsal, rehearsalOf, type Rehearsal } from './history.ts';
import { evaluateGate, loadGateConfig, type GateConfig, type GateConfigInput } from './gate.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { renderJunit } from './junit.ts';
import type { GateResult, Provenance, Summary } from './schema.ts';
import type { ProvenanceInput } from './provenance.ts';
import { inputOf } from './read.ts';
import { verifiedTarget } from './areas-anchors.ts';
import { readAnchors } from '../audit/anchors.ts';
import { loadFreezeWindow } from '../delta/store.ts';

export { buildSummary, type StoredResults, type SummaryOptions } from './summary.ts';
export { SummarySchema, SCHEMA_VERSION, AREA_IDS, summaryJsonSchema, GateResultSchema, type Summary, type GateResult, type GateCriterion, type Light, type AreaId, type Provenance } from './schema.ts';
export {
  evaluateGate, loadGateConfig, parseGateConfig, gateConfigIssues, gateLines, GateConfigSchema, GateConfigError, DEFAULT_GATE_CONFIG,
  CRITERION_IDS, CRITERIA, requiredChecks, type GateConfig, type GateConfigInput, type CriterionId,
} from './gate.ts';
export { renderHtml } from './html.ts';
export { renderMarkdown } from './markdown.ts';
export { renderJunit } from './junit.ts';
export { buildProvenance, codeVersion, maskSecrets, maskOptions, type ProvenanceInput } from './provenance.ts';

export { loadStoredResults, loadTargetResults, type TargetResults, type UnreadableResult } from './load.ts';
export { judgeResults, RERUN, type Judgement, type Standing } from './freshness.ts';
export { readTarget, targetId, type TargetNow, type TargetIdentity, type TargetState, type AuditHead } from './target.ts';
export { auditHeadOf, saveResult, bindingOf, type Binding } from './store.ts';
export type { StoredResult, ResultKind } from './store.ts';
export { summaryDigest, digestLine } from './digest.ts';
export { loadHistory, recordRehearsal, rehearsalOf, trendRows, RehearsalSchema, type Rehearsal, type TrendRow } from './history.ts';

/** The audit anchors kept (outside the target) for the target the stored verify ran on. */
export function keptAnchorsOf(results: StoredResults) {
  const target = verifiedTarget(inputOf('audit-verify', results['audit-verify']));
  return target ? readAnchors(target) : [];
}

/** The freeze window of the target the report runs against (none without one). */
const freezeWindowOf = (t: TargetResults | undefined) => (t ? loadFreezeWindow(t.now) : undefined);

export interface WriteReportOptions {
  outDir: string;
  provenance?: ProvenanceInput | Provenance;
  /** Gate thresholds: a config value, or a path to a gate.json. Default: the strict defaults. */
  gateConfig?: GateConfigInput | GateConfig | string;
  /** The target's results, judged against it (loadTargetResults): what `cutover report` uses. */
  target?: TargetResults;
  /** Use these instead (tests, a result set from elsewhere); not judged against a target unless `target` is given too. */
  results?: Partial<Record<ResultKind, StoredResult | null>>;
  summaryOptions?: SummaryOptions;
  /** Rehearsals to show as the trend. Default with `target`: this report is kept as a rehearsal and the target's history shown. */
  history?: Rehearsal[];
}

export interface WriteReportResult {
  summary: Summary;
  gate: GateResult;
  /** absolute paths: html, json, markdown, junit */
  files: { html: string; json: string; markdown: string; junit: string };
}

function write(file: string, text: string) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Load the stored results, build the summary, evaluate the gate, write index.html, summary.json, summary.md, junit.xml. */
export function writeReport(options: WriteReportOptions): WriteReportResult {
  const config = typeof options.gateConfig === 'string' ? loadGateConfig(options.gateConfig) : options.gateConfig ?? {};
  const results = options.results ?? options.target?.results ?? {};
  const maxQuarantineShare = typeof config === 'object' && typeof config.maxQuarantineShare === 'number' ? config.maxQuarantineShare : undefined;
  const built = buildSummary(results, options.provenance, { maxQuarantineShare, anchors: keptAnchorsOf(results), target: options.target, freezeWindow: freezeWindowOf(options.target), ...options.summaryOptions });
  const gate = evaluateGate(built, config);
  const summary: Summary = withDigest({ ...built, gate });
  const dir = path.resolve(options.outDir);
  mkdirSync(dir, { recursive: true });
  const files = {
    html: path.join(dir, 'index.html'),
    json: path.join(dir, 'summary.json'),
    markdown: path.join(dir, 'summary.md'),
    junit: path.join(dir, 'junit.xml'),
  };
  write(files.json, JSON.stringify(summary, null, 2) + '\n');
  let history = options.history ?? [];
  if (options.target && !options.history) {
    recordRehearsal(options.target.now.id, rehearsalOf(summary, results));
    history = loadHistory(options.target.now.id).rehearsals;
  }
  write(files.html, renderHtml(summary, gate, history));
  write(files.markdown, renderMarkdown(summary, gate));
  write(files.junit, renderJunit(gate, { digest: summary.digest }));
  return { summary, gate, files };
}

/** The gate alone (for `cutover gate`): stored results → summary → gate, nothing written. */
export function runGate(options: { gateConfig?: GateConfigInput | GateConfig | string; results?: StoredResults; target?: TargetResults; provenance?: ProvenanceInput | Provenance } = {}): { summary: Summary; gate: GateResult } {
  const config = typeof options.gateConfig === 'string' ? loadGateConfig(options.gateConfig) : options.gateConfig ?? {};
  const maxQuarantineShare = typeof config.maxQuarantineShare === 'number' ? config.maxQuarantineShare : undefined;
  const results = options.results ?? options.target?.results ?? {};
  const built = buildSummary(results, options.provenance, { maxQuarantineShare, anchors: keptAnchorsOf(results), target: options.target, freezeWindow: freezeWindowOf(options.target) });
  const gate = evaluateGate(built, config);
  const summary = withDigest({ ...built, gate });
  return { summary, gate };
}
