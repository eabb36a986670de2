package org.mustjava.data.synthetic;

/**
 * A sampled object shape with how it rests on the ground.
 *
 * @param shape local geometry
 * @param orientation rotation applied before the object's yaw (e.g. a log lies on its side)
 * @param restingHeight height of the local origin above the ground when resting
 * @param footprintRadius radius of a circle on the ground containing the object's footprint
 */
public record ObjectGeometry(
    Shape shape, RigidTransform orientation, double restingHeight, double footprintRadius) {}
