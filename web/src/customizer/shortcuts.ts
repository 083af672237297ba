// Keyboard handling: the zone canvas's keys (keys.ts says what each does
// to a layer; here they become undo steps and announcements) and undo/redo
// anywhere outside a text field, whose own undo the browser keeps.

import type { Customizer } from './app.js';
import { layersOf, replaceLayer } from './doc.js';
import { isTyping } from './dom.js';
import { keyEdit } from './keys.js';
import type { Layer, Zone } from './types.js';

/** globalKey: Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo. */
export function globalKey(c: Customizer, e: KeyboardEvent): void {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || isTyping(document.activeElement)) return;
  const k = e.key.toLowerCase();
  if (k === 'z' && !e.shiftKey) c.undo();
  else if ((k === 'z' && e.shiftKey) || k === 'y') c.redo();
  else return;
  e.preventDefault();
}

/** canvasKey handles a key pressed on zone z's canvas. */
export function canvasKey(c: Customizer, z: Zone, e: KeyboardEvent): void {
  const i = c.selection.get(z.id) ?? -1;
  if (e.key === 'Escape') {
    c.select(z.id, -1);
    e.preventDefault();
    return;
  }
  const all = layersOf(c.doc, z.id);
  if ((e.key === 'Enter' || e.key === ' ') && all.length > 0) {
    // Enter or Space picks the next layer, from the top, without a pointer.
    e.preventDefault();
    const next = i <= 0 ? all.length - 1 : i - 1;
    c.select(z.id, next);
    c.say(c.t('layer.selected', { name: c.panel.describe(all[next] as Layer) }));
    return;
  }
  const l = all[i];
  const canvas = c.canvases.get(z.id);
  if (!l || !canvas || e.ctrlKey || e.metaKey || e.altKey) return;
  const edit = keyEdit(e.key, e.shiftKey, l, (x, k) => canvas.scaled(x, k));
  if (!edit) return;
  e.preventDefault();
  if (edit === 'delete') {
    c.panel.remove(z.id, i);
    return;
  }
  c.commit(replaceLayer(c.doc, z.id, i, edit.layer), z.id + '/' + i + '/' + edit.kind);
  c.say(c.t(edit.said, edit.vars));
}
