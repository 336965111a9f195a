import { describe, expect, it } from 'vitest';
import { ProblemList } from '../../../../functions/core/feeds/validate/problems.js';
import { attribute, children, parseXml, text } from '../../../../functions/core/feeds/validate/xml.js';

function parse(xml: string) {
  const problems = new ProblemList();
  return { root: parseXml(xml, problems), problems: problems.items };
}

describe('parseXml', () => {
  it('reads elements, attributes, text and CDATA into a tree, references resolved', () => {
    const { root, problems } = parse(
      '<?xml version="1.0"?>\n<!-- c --><r a="x &amp; y"><t><![CDATA[<p>a</p>]]> &lt;b&gt; &#x41;&#66;</t><e/><t>two</t></r>',
    );

    expect(problems).toEqual([]);
    expect(root!.name).toBe('r');
    expect(attribute(root!.node, 'a')).toBe('x & y');
    expect(children(root!.node, 't').map(text)).toEqual(['<p>a</p> <b> AB', 'two']);
    expect(children(root!.node, 'e')).toEqual([{}]);
  });

  it('keeps a ">" inside a quoted attribute value within the tag', () => {
    expect(attribute(parse('<r a="1 > 0"/>').root!.node, 'a')).toBe('1 > 0');
  });

  it.each([
    ['a mismatched end tag', '<a><b></a>', 'xml-well-formed'],
    ['an element never closed', '<a><b></b>', 'xml-well-formed'],
    ['two roots', '<a/><b/>', 'xml-well-formed'],
    ['no root', '<?xml version="1.0"?>', 'xml-well-formed'],
    ['text outside the root', '<a/>x', 'xml-well-formed'],
    ['a bare ampersand', '<a>R&D</a>', 'xml-well-formed'],
    ['an undefined entity', '<a>&nbsp;</a>', 'xml-well-formed'],
    ['"]]>" in text', '<a>x ]]> y</a>', 'xml-well-formed'],
    ['a CDATA section never closed', '<a><![CDATA[x</a>', 'xml-well-formed'],
    ['a repeated attribute', '<a x="1" x="2"/>', 'xml-well-formed'],
    ['an unquoted attribute', '<a x=1/>', 'xml-well-formed'],
    ['"<" in an attribute value', '<a x="<"/>', 'xml-well-formed'],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'xml-well-formed'],
    ['a control character', '<a>\u0001</a>', 'xml-chars'],
    ['a lone surrogate', '<a>\uD800</a>', 'xml-chars'],
    ['U+FFFF', '<a>\uFFFF</a>', 'xml-chars'],
    ['a reference to a control character', '<a>&#1;</a>', 'xml-chars'],
    ['a reference to a surrogate', '<a t="&#xD800;"/>', 'xml-chars'],
  ])('refuses %s', (_, xml, rule) => {
    const { root, problems } = parse(xml);

    expect(problems.map((p) => p.rule)).toContain(rule);
    if (rule === 'xml-well-formed') expect(root).toBeUndefined();
  });

  it('takes "&#0;" inside CDATA as text, not as a reference', () => {
    expect(text(parse('<a><![CDATA[&#0; ]]]]></a>').root!.node)).toBe('&#0; ]]');
  });
});
