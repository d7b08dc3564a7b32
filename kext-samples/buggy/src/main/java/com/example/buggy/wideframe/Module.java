package com.example.buggy.wideframe;

import static org.kextkit.kit.iokit.IOLib.*;
import static org.kextkit.kit.libkern.Locks.*;

import org.kextkit.kit.libkern.*;

/** Hashes a 576-byte key block with every word in its own local: dozens of 8-byte slots in one frame. */
public final class Module implements KextModule {
    static final int BLOCK = 576;

    @Override
    public int start(KmodInfo kmodInfo, Object data) {
        KernelBuffer block = IOMallocZero(BLOCK);
        IOLog("WideFrame: digest %x", digest(block));
        IOFree(block, BLOCK);
        return KernReturn.KERN_SUCCESS;
    }

    static long digest(KernelBuffer block) {
        long w0 = block.read64(0); // BUG: STK-FRAME
        long w1 = block.read64(8);
        long w2 = block.read64(16);
        long w3 = block.read64(24);
        long w4 = block.read64(32);
        long w5 = block.read64(40);
        long w6 = block.read64(48);
        long w7 = block.read64(56);
        long w8 = block.read64(64);
        long w9 = block.read64(72);
        long w10 = block.read64(80);
        long w11 = block.read64(88);
        long w12 = block.read64(96);
        long w13 = block.read64(104);
        long w14 = block.read64(112);
        long w15 = block.read64(120);
        long w16 = block.read64(128);
        long w17 = block.read64(136);
        long w18 = block.read64(144);
        long w19 = block.read64(152);
        long w20 = block.read64(160);
        long w21 = block.read64(168);
        long w22 = block.read64(176);
        long w23 = block.read64(184);
        long w24 = block.read64(192);
        long w25 = block.read64(200);
        long w26 = block.read64(208);
        long w27 = block.read64(216);
        long w28 = block.read64(224);
        long w29 = block.read64(232);
        long w30 = block.read64(240);
        long w31 = block.read64(248);
        long w32 = block.read64(256);
        long w33 = block.read64(264);
        long w34 = block.read64(272);
        long w35 = block.read64(280);
        long w36 = block.read64(288);
        long w37 = block.read64(296);
        long w38 = block.read64(304);
        long w39 = block.read64(312);
        long w40 = block.read64(320);
        long w41 = block.read64(328);
        long w42 = block.read64(336);
        long w43 = block.read64(344);
        long w44 = block.read64(352);
        long w45 = block.read64(360);
        long w46 = block.read64(368);
        long w47 = block.read64(376);
        long w48 = block.read64(384);
        long w49 = block.read64(392);
        long w50 = block.read64(400);
        long w51 = block.read64(408);
        long w52 = block.read64(416);
        long w53 = block.read64(424);
        long w54 = block.read64(432);
        long w55 = block.read64(440);
        long w56 = block.read64(448);
        long w57 = block.read64(456);
        long w58 = block.read64(464);
        long w59 = block.read64(472);
        long w60 = block.read64(480);
        long w61 = block.read64(488);
        long w62 = block.read64(496);
        long w63 = block.read64(504);
        long w64 = block.read64(512);
        long w65 = block.read64(520);
        long w66 = block.read64(528);
        long w67 = block.read64(536);
        long w68 = block.read64(544);
        long w69 = block.read64(552);
        long w70 = block.read64(560);
        long w71 = block.read64(568);
        long digest = 0;
        digest ^= w0 + w1 + w2 + w3 + w4 + w5 + w6 + w7;
        digest ^= w8 + w9 + w10 + w11 + w12 + w13 + w14 + w15;
        digest ^= w16 + w17 + w18 + w19 + w20 + w21 + w22 + w23;
        digest ^= w24 + w25 + w26 + w27 + w28 + w29 + w30 + w31;
        digest ^= w32 + w33 + w34 + w35 + w36 + w37 + w38 + w39;
        digest ^= w40 + w41 + w42 + w43 + w44 + w45 + w46 + w47;
        digest ^= w48 + w49 + w50 + w51 + w52 + w53 + w54 + w55;
        digest ^= w56 + w57 + w58 + w59 + w60 + w61 + w62 + w63;
        digest ^= w64 + w65 + w66 + w67 + w68 + w69 + w70 + w71;
        return digest;
    }

    @Override
    public int stop(KmodInfo kmodInfo, Object data) {
        return KernReturn.KERN_SUCCESS;
    }
}
