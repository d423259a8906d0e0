import type * as Y from 'yjs';
import { judgeUpdate, type Sender, type Verdict } from '../../shared/model/update-rules.js';
import { describeUpdate } from './describe-update.js';

/**
 * The "check" step of the pipeline: may this sender make this change? The
 * update is described against the live document, then judged with the shared
 * rules. Presiding roles skip nothing: attribution is checked for everyone.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, sender: Sender): Verdict {
  const described = describeUpdate(doc, update);
  if (!described.ok) return described;
  return judgeUpdate(doc, described.effects, sender);
}
