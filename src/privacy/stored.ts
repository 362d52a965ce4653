// The stored privacy results ('erasure', 'residual-scan', 'sar'): the schemas the report and the gate parse them with.
import { z } from 'zod';

export const ErasureStoredSchema = z.looseObject({});
export const ResidualScanStoredSchema = z.looseObject({});
export const SarStoredSchema = z.looseObject({});
