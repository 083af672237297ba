import { History } from '../history.js';
import { eq, ok, run, test } from './testing.js';

test('push, undo and redo walk the values', () => {
  const h = new History('a');
  h.push('b');
  h.push('c');
  ok(h.undo(), 'undo');
  eq(h.present, 'b');
  ok(h.undo(), 'undo');
  eq(h.present, 'a');
  ok(!h.undo(), 'nothing left to undo');
  ok(h.redo(), 'redo');
  eq(h.present, 'b');
  h.push('d');
  ok(!h.canRedo, 'a new value drops the redo steps');
});

test('typing in one field within a second is one step', () => {
  let now = 0;
  const h = new History('', 100, () => now);
  for (const v of ['H', 'He', 'Hel']) {
    h.push(v, 'text');
    now += 300;
  }
  now += 2000;
  h.push('Hello', 'text');
  h.undo();
  eq(h.present, 'Hel', 'after one undo');
  h.undo();
  eq(h.present, '', 'after two');
});

test('a gesture is one step, and none when nothing changed', () => {
  const h = new History(0);
  h.begin();
  h.live(1);
  h.live(2);
  h.end();
  eq(h.present, 2);
  h.undo();
  eq(h.present, 0, 'the drag undoes at once');
  ok(!h.canUndo, 'one step only');
  h.begin();
  h.end();
  ok(!h.canUndo, 'a click without a move is no step');
});

test('the history keeps at most limit steps, and reset clears it', () => {
  const h = new History(0, 3);
  for (let i = 1; i <= 5; i++) h.push(i);
  let n = 0;
  while (h.undo()) n++;
  eq(n, 3);
  h.reset(9);
  ok(!h.canUndo && !h.canRedo, 'reset');
});

void run();
