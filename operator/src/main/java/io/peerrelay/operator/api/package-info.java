/**
 * The PeerRelay and RelayGrant custom resources ({@code peerrelay.io/v1alpha1}): the Java types the
 * CRDs are generated from. Field descriptions are user documentation ({@code kubectl explain}).
 */
package io.peerrelay.operator.api;
