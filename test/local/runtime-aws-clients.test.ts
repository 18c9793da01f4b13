/**
 * AWS's own AppSync clients against the local stack, unchanged: Amplify JS v6 (`generateClient`)
 * and Apollo Client 3 with `aws-appsync-auth-link`, each with the API key and with IAM, and a
 * wrong key or secret reaching each as the error AppSync would give it.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client/core'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { Amplify } from 'aws-amplify'
import { generateClient } from 'aws-amplify/api'
import { AUTH_TYPE, createAuthLink, type AuthOptions } from 'aws-appsync-auth-link'
import { describe, expect, it } from 'vitest'
import { sessionKey } from '../../infra/model.js'
import type { LocalStack } from '../../infra/local/stack.js'
import { useLocalStack } from '../support/local-stack.js'

const REQUEST_OTP = /* GraphQL */ `
  mutation Request($email: AWSEmail!) {
    requestOtp(email: $email) {
      sessionId
      codeLength
    }
  }
`
const VERIFY_OTP = /* GraphQL */ `
  mutation Verify($sessionId: ID!, $code: String!) {
    verifyOtp(sessionId: $sessionId, code: $code) {
      status
      verificationToken
    }
  }
`
const REDEEM = /* GraphQL */ `
  mutation Redeem($token: String!) {
    redeemVerification(token: $token) {
      email
    }
  }
`
const POLICY = /* GraphQL */ `
  query Policy {
    otpPolicy {
      codeLength
    }
  }
`

const local = useLocalStack({ email: false })

const uniqueEmail = (client: string) =>
  `${client.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}-${process.hrtime
    .bigint()
    .toString(36)}@example.com`

/** The code of a session, read from the table as an operator would (it is never returned). */
async function codeOf(stack: LocalStack, sessionId: string): Promise<string> {
  const { Item } = await stack.dynamodb.send(
    new GetItemCommand({
      TableName: stack.tableName,
      Key: { pk: { S: sessionKey(sessionId) } },
      ConsistentRead: true,
    }),
  )
  return Item?.code?.S ?? ''
}

interface Calls {
  /** Runs a document with the API key (`apiKey`, default the stack's). */
  withApiKey(query: string, variables?: Record<string, unknown>, apiKey?: string): Promise<unknown>
  /** Runs a document signed with IAM credentials (default the stack's). */
  withIam(
    query: string,
    variables?: Record<string, unknown>,
    secretAccessKey?: string,
  ): Promise<unknown>
}

/** Amplify JS v6: `Amplify.configure` + `generateClient`, static credentials for IAM. */
function amplify(stack: LocalStack): Calls {
  const configure = (apiKey: string, secretAccessKey: string) =>
    Amplify.configure(
      {
        API: {
          GraphQL: {
            endpoint: stack.urls.api,
            region: stack.iam.region,
            defaultAuthMode: 'apiKey',
            apiKey,
          },
        },
      },
      {
        Auth: {
          credentialsProvider: {
            getCredentialsAndIdentityId: () =>
              Promise.resolve({
                credentials: { accessKeyId: stack.iam.accessKeyId, secretAccessKey },
              }),
            clearCredentialsAndIdentityId: () => undefined,
          },
        },
      },
    )
  const run = async (
    authMode: 'apiKey' | 'iam',
    query: string,
    variables: Record<string, unknown>,
  ): Promise<unknown> => {
    const result = (await generateClient().graphql({ query, variables, authMode })) as {
      data: unknown
    }
    return result.data
  }
  return {
    withApiKey: (query, variables = {}, apiKey = stack.apiKey) => {
      configure(apiKey, stack.iam.secretAccessKey)
      return run('apiKey', query, variables)
    },
    withIam: (query, variables = {}, secretAccessKey = stack.iam.secretAccessKey) => {
      configure(stack.apiKey, secretAccessKey)
      return run('iam', query, variables)
    },
  }
}

/** Apollo Client 3 with aws-appsync-auth-link in front of an HttpLink, as AWS's guide sets it up. */
function apollo(stack: LocalStack): Calls {
  const client = (auth: AuthOptions) =>
    new ApolloClient({
      link: ApolloLink.from([
        createAuthLink({ url: stack.urls.api, region: stack.iam.region, auth }),
        new HttpLink({ uri: stack.urls.api }),
      ]),
      cache: new InMemoryCache(),
      defaultOptions: { query: { fetchPolicy: 'no-cache' } },
    })
  const run = async (auth: AuthOptions, query: string, variables: Record<string, unknown>) => {
    const document = gql(query)
    const isMutation = query.trimStart().startsWith('mutation')
    const result = isMutation
      ? await client(auth).mutate({ mutation: document, variables })
      : await client(auth).query({ query: document, variables })
    return result.data
  }
  return {
    withApiKey: (query, variables = {}, apiKey = stack.apiKey) =>
      run({ type: AUTH_TYPE.API_KEY, apiKey }, query, variables),
    withIam: (query, variables = {}, secretAccessKey = stack.iam.secretAccessKey) =>
      run(
        {
          type: AUTH_TYPE.AWS_IAM,
          credentials: { accessKeyId: stack.iam.accessKeyId, secretAccessKey },
        },
        query,
        variables,
      ),
  }
}

/** Requests a code and verifies it with the API key; returns the address and its token. */
async function verifiedToken(stack: LocalStack, calls: Calls, client: string) {
  const email = uniqueEmail(client)
  const { requestOtp } = (await calls.withApiKey(REQUEST_OTP, { email })) as {
    requestOtp: { sessionId: string }
  }
  const code = await codeOf(stack, requestOtp.sessionId)
  const { verifyOtp } = (await calls.withApiKey(VERIFY_OTP, {
    sessionId: requestOtp.sessionId,
    code,
  })) as { verifyOtp: { status: string; verificationToken: string } }
  return { email, verifyOtp }
}

describe.each([
  ['Amplify JS v6 (generateClient)', amplify],
  ['Apollo Client 3 with aws-appsync-auth-link', apollo],
])('%s against the local stack', (client, make) => {
  it('completes the API-key mutations: requests a code and verifies it', async () => {
    const stack = local.stack()

    const { verifyOtp } = await verifiedToken(stack, make(stack), client)

    expect(verifyOtp.status).toBe('VERIFIED')
    expect(verifyOtp.verificationToken).toMatch(/^[0-9a-f]{32}$/)
  })

  it('completes IAM calls: reads the policy and redeems the verification token', async () => {
    const stack = local.stack()
    const calls = make(stack)
    const { email, verifyOtp } = await verifiedToken(stack, calls, client)

    const policy = await calls.withIam(POLICY)
    const redeemed = await calls.withIam(REDEEM, { token: verifyOtp.verificationToken })

    expect(policy).toEqual({ otpPolicy: expect.objectContaining({ codeLength: 6 }) })
    expect(redeemed).toEqual({ redeemVerification: expect.objectContaining({ email }) })
  })
})

describe('A wrong key or secret, as AWS’s clients report it', () => {
  it('reaches Amplify as UnauthorizedException for a wrong API key', async () => {
    const stack = local.stack()

    const failure = (await amplify(stack)
      .withApiKey(REQUEST_OTP, { email: uniqueEmail('wrong-key') }, 'da2-wrong-key')
      .catch((error: unknown) => error)) as {
      errors?: { message: string; originalError?: { name?: string } }[]
    }

    expect(failure.errors?.[0]?.originalError?.name).toBe('UnauthorizedException')
    expect(failure.errors?.[0]?.message).toBe('Unauthorized')
  })

  it('reaches Amplify as InvalidSignatureException for a wrong secret', async () => {
    const stack = local.stack()

    const failure = (await amplify(stack)
      .withIam(POLICY, {}, 'not-the-secret')
      .catch((error: unknown) => error)) as { errors?: { originalError?: { name?: string } }[] }

    expect(failure.errors?.[0]?.originalError?.name).toBe('InvalidSignatureException')
  })

  it('reaches Apollo as a 401 whose body names UnauthorizedException for a wrong API key', async () => {
    const stack = local.stack()

    const failure = (await apollo(stack)
      .withApiKey(REQUEST_OTP, { email: uniqueEmail('wrong-key') }, 'da2-wrong-key')
      .catch((error: unknown) => error)) as {
      networkError?: { statusCode?: number; result?: { errors?: { errorType?: string }[] } }
    }

    expect(failure.networkError?.statusCode).toBe(401)
    expect(failure.networkError?.result?.errors?.[0]?.errorType).toBe('UnauthorizedException')
  })
})
