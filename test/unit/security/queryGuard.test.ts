import { describe, expect, it } from '@jest/globals'

import { keySegments, pathProblem, queryProblem } from '../../../src/security/queryGuard'

describe('REST query guard', () => {
  it('lets the queries the site and the admin panel send through', () => {
    for (const query of [
      '?where[active][equals]=true&sort=name&limit=50&depth=0',
      '?where[or][0][and][0][name][like]=ada&where[or][0][and][1][active][equals]=true',
      '?where[id][in]=0123456789abcdef01234567,0123456789abcdef01234568',
      '?where[id][not_in][0]=0123456789abcdef01234567',
      '?where[subjects][contains]=maths&sort=-createdAt,name&page=2',
      '?select[name]=true&locale=en&draft=false',
      '',
    ]) {
      expect(queryProblem(query)).toBeNull()
    }
  })

  it('refuses $ operators anywhere, unknown operators and malformed where clauses', () => {
    expect(queryProblem('?where[name][$gt]=')).toMatch(/"\$" operators/)
    expect(queryProblem('?where[$or][0][name][equals]=a')).toMatch(/"\$" operators/)
    expect(queryProblem('?filter[$where]=1')).toMatch(/"\$" operators/)
    expect(queryProblem('?where[name][near]=1,2')).toMatch(/Unknown where operator "near"/)
    expect(queryProblem('?where=[object]')).toMatch(/where\[field\]\[operator\]/)
    expect(queryProblem('?where[name]=x')).toMatch(/Malformed where clause/)
    expect(queryProblem('?where[a]b][equals]=1')).toMatch(/Malformed query parameter/)
  })

  it('refuses ids that are not document ids, and odd sort/limit/page/depth values', () => {
    expect(queryProblem('?where[id][in]=1,2')).toMatch(/24-character document ids/)
    expect(queryProblem('?where[id][equals]=')).toMatch(/24-character document ids/)
    expect(queryProblem('?where[id][not_equals]=%2C')).toMatch(/24-character document ids/)
    expect(queryProblem('?sort=$natural')).toMatch(/sort must be/)
    expect(queryProblem('?sort={"a":1}')).toMatch(/sort must be/)
    expect(queryProblem('?limit=abc')).toMatch(/limit must be a whole number/)
    expect(queryProblem('?depth=11')).toMatch(/depth must be at most 10/)
  })

  it('splits bracketed keys', () => {
    expect(keySegments('where[or][0][name][like]')).toEqual(['where', 'or', '0', 'name', 'like'])
    expect(keySegments('sort')).toEqual(['sort'])
    expect(keySegments('where[a')).toBeNull()
  })

  it('refuses commas in REST paths (Payload would split the id and fail)', () => {
    expect(pathProblem('/api/tutors/a%2Cb')).toMatch(/single 24-character id/)
    expect(pathProblem('/api/tutors/0123456789abcdef01234567')).toBeNull()
    expect(pathProblem('/api/tutors/%E0%A4%A')).toMatch(/URL encoding/)
  })
})
