// Minimal DynamoDB JSON-protocol client for the shims' own look-ups. dynalite checks
// that an Authorization header is shaped like SigV4 but never verifies the signature.

function amzDate(now = new Date()) {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export class DynamoClient {
  constructor(endpoint, region = 'us-east-1') {
    this.endpoint = endpoint;
    this.region = region;
  }

  /** Returns { ok, status, body }; never throws for a DynamoDB error response. */
  async call(operation, payload) {
    const date = amzDate();
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'x-amz-date': date,
        authorization: `AWS4-HMAC-SHA256 Credential=local/${date.slice(0, 8)}/${this.region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
      },
      body: JSON.stringify(payload),
    });
    const text = await response.text();
    return { ok: response.ok, status: response.status, body: text === '' ? {} : JSON.parse(text) };
  }
}
