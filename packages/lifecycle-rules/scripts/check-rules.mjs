// Part of the build: every rule file must pass the schema (fields, citation, grade, known documents
// and jurisdictions, real dates, no overlapping versions), and every legal document must say where
// its start date comes from. A typo in a rule file fails the build here.
import { LEGAL_DOCUMENTS, RULES, validateDocuments, validateRules } from '../dist/index.js';

const problems = [...validateRules(RULES, LEGAL_DOCUMENTS), ...validateDocuments(LEGAL_DOCUMENTS)];
if (problems.length > 0) {
  console.error(
    `lifecycle-rules: ${problems.length} problem(s) in the rule files:\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`lifecycle-rules: ${RULES.length} rules valid`);
