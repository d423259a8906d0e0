import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blockText, countParagraphs } from '../../shared/model/paragraphs.js';

function element(name: string, children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement {
  const el = new Y.XmlElement(name);
  el.insert(0, children);
  return el;
}

describe('paragraph helpers', () => {
  it('counts text blocks at any depth, lists included', () => {
    const doc = new Y.Doc();
    const body = doc.getXmlFragment('default');
    body.insert(0, [
      element('heading', [new Y.XmlText('1 Title')]),
      element('paragraph', [new Y.XmlText('text')]),
      element('bulletList', [
        element('listItem', [element('paragraph', [new Y.XmlText('one')])]),
        element('listItem', [element('paragraph', [new Y.XmlText('two')])]),
      ]),
    ]);
    expect(countParagraphs(body)).toBe(4);
    expect(blockText(body.get(2) as Y.XmlElement)).toBe('onetwo');
  });

  it('drops marks from the text', () => {
    const doc = new Y.Doc();
    const text = new Y.XmlText();
    doc.getXmlFragment('default').insert(0, [element('paragraph', [text])]);
    text.insert(0, 'agreed text');
    text.format(0, 6, { bold: {} });
    expect(blockText(doc.getXmlFragment('default').get(0) as Y.XmlElement)).toBe('agreed text');
  });
});
