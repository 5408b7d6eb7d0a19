/**
 * A `fetch` that remembers every request it sends (a clone, so the body can still be read) and
 * then really sends it. Lets a test see the headers and bodies the client put on the wire.
 */
export function recordingFetch(inner: (request: Request) => Promise<Response> = (r) => fetch(r)) {
  const requests: Request[] = [];
  const send = (request: Request) => {
    requests.push(request.clone());
    return inner(request);
  };
  return Object.assign(send, { requests });
}
