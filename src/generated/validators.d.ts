// Types for the standalone validators that scripts/build-validators.mjs generates.
import type { ValidateFunction } from 'ajv';

export const factsSchema: ValidateFunction;
export const kbFileSchema: ValidateFunction;
export const diagnosisSchema: ValidateFunction;
export const diagnoseRequestSchema: ValidateFunction;
export const interviewRequestSchema: ValidateFunction;
export const kbLockSchema: ValidateFunction;
export const questionSchema: ValidateFunction;
export const interviewStepSchema: ValidateFunction;
export const problemSchema: ValidateFunction;
export const scenarioSchema: ValidateFunction;
export const hypothesisSchema: ValidateFunction;
export const kbInfoSchema: ValidateFunction;
export const readinessSchema: ValidateFunction;
export const incidentSchema: ValidateFunction;
export const artifactsSchema: ValidateFunction;
export const caseCreateSchema: ValidateFunction;
export const casePatchSchema: ValidateFunction;
export const caseOutcomeSchema: ValidateFunction;
export const caseSchema: ValidateFunction;
export const caseListSchema: ValidateFunction;
export const caseStatsSchema: ValidateFunction;
