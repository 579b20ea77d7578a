// Seed form: a plain request object in, { statusCode, headers, body } (or a string) out.
export default async function handler(request) {
  const name = request.query.name ?? 'world'
  console.log('greeting', { name, method: request.method })
  return { statusCode: 200, headers: { 'x-edgepad': 'yes' }, body: { hello: name, path: request.path } }
}
