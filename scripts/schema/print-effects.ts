import { mutationEffects } from '../../src/plan/field-info.js';
import { demoWorkspaceSchema } from './demo-schema.js';

// `npm run effects`: every mutation of the demo workspace with the effects it declares, one a line.
for (const { field, effects } of mutationEffects(await demoWorkspaceSchema())) {
  console.log(`${field}\t${effects === undefined ? 'UNDECLARED' : JSON.stringify(effects)}`);
}
