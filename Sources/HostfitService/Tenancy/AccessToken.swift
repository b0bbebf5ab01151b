import Crypto
import Foundation

/// A bearer token as the store keeps it: its id, tenant and role, and only a hash of the
/// secret, which is shown once, when made. SHA-256 and not a password hash: the secret is
/// 256 random bits, which no dictionary or brute force reaches, and every request checks one.
public struct AccessToken: Codable, Sendable, Equatable {
    public var id: String
    /// nil: the estate's (the --token-file token).
    public var tenant: String?
    public var role: Caller.Role
    public var madeAt: String
    public var revokedAt: String?

    enum CodingKeys: String, CodingKey { case id, tenant, role, madeAt = "made_at", revokedAt = "revoked_at" }

    /// The id of the token that --token-file gives.
    static let fileTokenID = "token-file"

    /// A new secret: "hft_" and 256 random bits, base64url.
    static func secret() -> String {
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        return "hft_" + bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A new token id: "tok_" and 64 random bits, hex.
    static func newID() -> String {
        "tok_" + SymmetricKey(size: SymmetricKeySize(bitCount: 64)).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// What the store keeps of a secret.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
