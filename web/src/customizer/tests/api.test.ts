import { designLinkURL } from '../actions.js';
import { warningList } from '../api.js';
import { eq, run, test } from './testing.js';

test('the warnings header is a JSON array of strings or objects', () => {
  eq(warningList(null), []);
  eq(warningList('["low DPI"]'), ['low DPI']);
  eq(warningList('[{"zone_id":"z","layer":0,"message":"blurry"}]'), ['blurry']);
  eq(warningList('not json'), []);
  eq(warningList('{"message":"x"}'), [], 'not an array');
});

test('the design link is the store page with luneo_design', () => {
  eq(designLinkURL('https://shop.example/p/mug?size=m#reviews', 'de_abc'), 'https://shop.example/p/mug?size=m&luneo_design=de_abc');
  eq(designLinkURL('https://shop.example/?luneo_design=de_old', 'de_new'), 'https://shop.example/?luneo_design=de_new');
  eq(designLinkURL('', 'de_abc'), '');
  eq(designLinkURL('not a url', 'de_abc'), '');
});

void run();
