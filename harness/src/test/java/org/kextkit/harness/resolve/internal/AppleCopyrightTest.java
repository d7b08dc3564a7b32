package org.kextkit.harness.resolve.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppleCopyrightTest {

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // Strings from Apple's own family plists
        "2.9, Copyright © 2000-2011 Apple Inc. All rights reserved.                       | true",
        "Copyright © 1997-2010 Apple Inc. All rights reserved. IOKit Serial Port Family   | true",
        "Copyright © 1998-2014 Apple Inc. All rights reserved.                            | true",
        "1.0, Copyright © 2000-2008 Apple Inc.  All Rights Reserved.                      | true",
        "Copyright (c) 2004, 2006-2008 Apple Computer, Inc. All rights reserved.          | true",
        "Copyright 2024 Apple Inc. All rights reserved.                                   | true",
        // Not an Apple notice, or not a well-formed one
        "Copyright Apple Computer, Inc. 2000-2008                                         | false",
        "3.0.0, Copyright 1998-2013 Apple Inc.                                            | false",
        "Copyright © 2016-2020 vit9696. All rights reserved.                              | false",
        "Copyright © 2000-IOUSBFAMILY_LAST_CHANGE_YEAR Apple Inc.  All rights reserved.   | false",
        "Copyright © 2011-2000 Apple Inc. All rights reserved.                            | false",
        "Copyright © 99 Apple Inc. All rights reserved.                                   | false",
        "All rights reserved. Copyright © 2020 Apple Inc.                                 | false",
        "I/O Kit Pseudoextension, Apple Inc, 25.1.0                                       | false",
    })
    void appleNoticeNeedsCopyrightYearsAppleAndRightsReserved(String text, boolean valid) {
        assertEquals(valid, AppleCopyright.isValidNotice(text.strip()));
    }
}
