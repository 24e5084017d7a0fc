/**
 * Child of the atomic-save campaign: saves checkpoint k = 1, 2, 3, … of checkpointModel to the path
 * in argv[2] for ever, printing `saved k` after each save returns. The parent SIGKILLs it.
 */
import { writeSync } from 'node:fs';
import { save } from '@tessera/nn';
import { checkpointModel, setState } from '../checkpoint-model.js';

const path = process.argv[2];
if (path === undefined) throw new Error('save-loop: usage: save-loop <path>');
const model = checkpointModel();
for (let k = 1; ; k++) {
  save(setState(model, k), path, { metadata: { k: String(k) } });
  writeSync(1, `saved ${k}\n`);
}
