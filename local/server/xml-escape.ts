/** Text made safe for an XML element or attribute (the Query protocol's answers are XML). */
export const xmlEscape = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", "'": "apos", '"': "quot" }[c]};`);
