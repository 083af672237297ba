# Luneo's high-quality render of one GLB with Blender's Cycles, run by the
# "hq" render (internal/render/hq.go):
#
#   blender -b --factory-startup --python render.py -- IN.glb OUT.png SIZE SAMPLES
#
# It follows the camera and light convention every Luneo renderer shares
# (package raster, bench/render.sh), stated in glTF space (Y up, metres,
# node transforms applied, no animation: the caller strips animations):
#   bounds of every mesh vertex in world space; centre c, radius r (half the
#   diagonal); 35 mm lens on a 36 mm sensor (54.4322° on a square image);
#   eye at c + d·v with d = r / sin(fov/2) and v = normalize(1, 0.6, 1),
#   looking at c, up +Y; clipping 0.05·d to 2·(d + r); a uniform 0.8 grey
#   world; one sun of strength 2 shining from normalize(0.5, 2, 1.5);
#   transparent film, "Standard" view transform (plain sRGB).
# Blender's glTF importer turns glTF (x, y, z) into Blender (x, -z, y), so
# directions are converted the same way below.
import math
import sys

import numpy

# Debian's Blender 3.4 glTF importer still uses numpy.bool, which numpy 1.24
# removed.
if not hasattr(numpy, "bool"):
    numpy.bool = bool

import bpy
from mathutils import Vector


def gltf_to_blender(x, y, z):
    return Vector((x, -z, y))


def main(argv):
    src, out, size, samples = argv[0], argv[1], int(argv[2]), int(argv[3])
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    bpy.ops.import_scene.gltf(filepath=src)
    bpy.context.view_layer.update()

    lo = Vector((math.inf,) * 3)
    hi = Vector((-math.inf,) * 3)
    for obj in bpy.context.scene.objects:
        if obj.type != "MESH":
            continue
        m = obj.matrix_world
        for v in obj.data.vertices:
            p = m @ v.co
            lo = Vector(map(min, lo, p))
            hi = Vector(map(max, hi, p))
    if lo.x > hi.x:
        raise SystemExit("the model has no mesh to render")
    centre = (lo + hi) / 2
    radius = max((hi - lo).length / 2, 1e-6)
    fov = 2 * math.atan(18 / 35)
    dist = radius / math.sin(fov / 2)
    view = gltf_to_blender(1, 0.6, 1).normalized()

    scene = bpy.context.scene
    cam_data = bpy.data.cameras.new("LuneoCamera")
    cam_data.lens, cam_data.sensor_width, cam_data.sensor_fit = 35, 36, "HORIZONTAL"
    cam_data.clip_start, cam_data.clip_end = 0.05 * dist, 2 * (dist + radius)
    cam = bpy.data.objects.new("LuneoCamera", cam_data)
    scene.collection.objects.link(cam)
    cam.location = centre + view * dist
    cam.rotation_euler = (centre - cam.location).to_track_quat("-Z", "Y").to_euler()
    scene.camera = cam

    sun_data = bpy.data.lights.new("LuneoSun", "SUN")
    sun_data.energy = 2.0
    sun = bpy.data.objects.new("LuneoSun", sun_data)
    scene.collection.objects.link(sun)
    sun.rotation_euler = gltf_to_blender(0.5, 2.0, 1.5).normalized().to_track_quat("Z", "Y").to_euler()

    world = bpy.data.worlds.new("LuneoWorld")
    world.use_nodes = True
    bg = world.node_tree.nodes["Background"]
    bg.inputs["Color"].default_value = (0.8, 0.8, 0.8, 1.0)
    bg.inputs["Strength"].default_value = 1.0
    scene.world = world

    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = samples
    scene.cycles.use_adaptive_sampling = False
    scene.cycles.use_denoising = False
    scene.cycles.seed = 0
    scene.render.film_transparent = True
    scene.view_settings.view_transform = "Standard"
    scene.view_settings.look = "None"
    scene.view_settings.exposure, scene.view_settings.gamma = 0, 1
    scene.render.resolution_x = scene.render.resolution_y = size
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGBA"
    scene.render.image_settings.color_depth = "8"
    scene.render.filepath = out
    bpy.ops.render.render(write_still=True)


main(sys.argv[sys.argv.index("--") + 1:])
